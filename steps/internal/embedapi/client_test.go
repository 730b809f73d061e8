package embedapi

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wurzel-dev/wurzel/settings"
)

const secret = "sk-test-1234567890"

// fakeServer implements both protocols. Each request is answered by the next entry of
// script (an HTTP status, "hang" to wait until the client gives up, or "ok"); "ok" is used
// when the script is used up.
type fakeServer struct {
	t      *testing.T
	mu     sync.Mutex
	script []string
	calls  []call
	srv    *httptest.Server
	maxIn  int // respond 413 to batches larger than this (0: no limit)
	model  string
}

type call struct {
	Method, Path, Auth string
	Body               map[string]any
}

func newFake(t *testing.T, script ...string) *fakeServer {
	f := &fakeServer{t: t, script: script, model: "intfloat/multilingual-e5-large"}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeServer) serve(w http.ResponseWriter, r *http.Request) {
	var body map[string]any
	_ = json.NewDecoder(r.Body).Decode(&body)
	f.mu.Lock()
	f.calls = append(f.calls, call{r.Method, r.URL.Path, r.Header.Get("Authorization"), body})
	step := "ok"
	if len(f.script) > 0 {
		step, f.script = f.script[0], f.script[1:]
	}
	f.mu.Unlock()
	switch step {
	case "hang":
		<-r.Context().Done()
		return
	case "429":
		w.Header().Set("Retry-After", "7")
		http.Error(w, `{"error": "rate limited"}`, http.StatusTooManyRequests)
		return
	case "503":
		http.Error(w, "upstream unavailable", http.StatusServiceUnavailable)
		return
	case "401":
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprintf(w, `{"error": {"message": "Incorrect API key provided: %s", "type": "invalid_request_error"}}`, secret)
		return
	case "400":
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, `{"error": "Input validation error: inputs cannot be empty", "error_type": "Validation"}`)
		return
	case "garbage":
		fmt.Fprint(w, `<html>oops</html>`)
		return
	}
	switch {
	case r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/info"):
		fmt.Fprintf(w, `{"model_id": %q, "max_client_batch_size": 32}`, f.model)
	case strings.HasSuffix(r.URL.Path, "/embed"):
		in, _ := body["inputs"].([]any)
		if f.maxIn > 0 && len(in) > f.maxIn {
			http.Error(w, `{"error": "batch size too large", "error_type": "Validation"}`, http.StatusRequestEntityTooLarge)
			return
		}
		vecs := make([][]float64, len(in))
		for i, s := range in {
			vecs[i] = vector(s.(string))
		}
		_ = json.NewEncoder(w).Encode(vecs)
	case strings.HasSuffix(r.URL.Path, "/embeddings"):
		in, _ := body["input"].([]any)
		var data []map[string]any
		for i := len(in) - 1; i >= 0; i-- { // out of order on purpose
			data = append(data, map[string]any{"object": "embedding", "index": i, "embedding": vector(in[i].(string))})
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"object": "list", "data": data, "model": body["model"]})
	default:
		http.NotFound(w, r)
	}
}

// vector is a deterministic fake embedding of s.
func vector(s string) []float64 { return []float64{float64(len(s)), 2, 0.5} }

func (f *fakeServer) client(t *testing.T, style Style, path string) (*Client, *[]time.Duration) {
	u, err := url.Parse(f.srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	var slept []time.Duration
	c := &Client{API: u, Style: style, Model: "text-embedding-3-small", APIKey: settings.SecretString(secret),
		Timeout: 2 * time.Second, Retries: 2,
		Sleep: func(_ context.Context, d time.Duration) error { slept = append(slept, d); return nil }}
	return c, &slept
}

func TestEmbedTEI(t *testing.T) {
	for _, path := range []string{"", "/", "/embed", "/tei"} {
		t.Run("path "+path, func(t *testing.T) {
			f := newFake(t)
			c, _ := f.client(t, TEI, path)
			c.Normalize = true
			got, err := c.Embed(context.Background(), []string{"a", "bbb"})
			if err != nil {
				t.Fatal(err)
			}
			if want := [][]float64{{1, 2, 0.5}, {3, 2, 0.5}}; !reflect.DeepEqual(got, want) {
				t.Errorf("got %v, want %v", got, want)
			}
			wantPath := strings.TrimSuffix(strings.TrimSuffix(path, "/"), "/embed") + "/embed"
			want := call{"POST", wantPath, "Bearer " + secret, map[string]any{"inputs": []any{"a", "bbb"}, "normalize": true}}
			if !reflect.DeepEqual(f.calls, []call{want}) {
				t.Errorf("calls %+v, want %+v", f.calls, want)
			}
		})
	}
}

func TestEmbedOpenAI(t *testing.T) {
	for path, wantPath := range map[string]string{"": "/v1/embeddings", "/v1": "/v1/embeddings", "/openai/v1/": "/openai/v1/embeddings", "/x/embeddings": "/x/embeddings"} {
		t.Run("path "+path, func(t *testing.T) {
			f := newFake(t)
			c, _ := f.client(t, OpenAI, path)
			c.Normalize = true
			got, err := c.Embed(context.Background(), []string{"abcd", "", "xy"})
			if err != nil {
				t.Fatal(err)
			}
			unit := func(x float64) []float64 { n := math.Sqrt(x*x + 4 + 0.25); return []float64{x / n, 2 / n, 0.5 / n} }
			if want := [][]float64{unit(4), unit(0), unit(2)}; !reflect.DeepEqual(got, want) {
				t.Errorf("got %v, want %v", got, want)
			}
			want := call{"POST", wantPath, "Bearer " + secret, map[string]any{"model": "text-embedding-3-small", "input": []any{"abcd", "", "xy"}}}
			if !reflect.DeepEqual(f.calls, []call{want}) {
				t.Errorf("calls %+v, want %+v", f.calls, want)
			}
		})
	}
}

func TestRetries(t *testing.T) {
	tests := []struct {
		name    string
		script  []string
		retries int
		slept   []time.Duration
		err     string // %s is the server URL
	}{
		{"rate limit then success", []string{"429"}, 2, []time.Duration{7 * time.Second}, ""},
		{"5xx backoff then success", []string{"503", "503"}, 2, []time.Duration{500 * time.Millisecond, time.Second}, ""},
		{"5xx gives up", []string{"503", "503", "503"}, 2, []time.Duration{500 * time.Millisecond, time.Second},
			"POST %s/embed: 503 Service Unavailable: upstream unavailable (gave up after 3 attempts)"},
		{"timeout then success", []string{"hang"}, 1, []time.Duration{500 * time.Millisecond}, ""},
		{"timeouts give up", []string{"hang", "hang"}, 1, []time.Duration{500 * time.Millisecond},
			"POST %s/embed: no response within 100ms (TIMEOUT) (gave up after 2 attempts)"},
		{"400 is final", []string{"400"}, 2, nil,
			"POST %s/embed: 400 Bad Request: Input validation error: inputs cannot be empty"},
		{"401 hides the key", []string{"401"}, 2, nil,
			"POST %s/embed: 401 Unauthorized: Incorrect API key provided: *** (check API_KEY)"},
		{"bad body", []string{"garbage"}, 2, nil,
			"POST %s/embed: want a JSON array of vectors, got <html>oops</html>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t, tt.script...)
			c, slept := f.client(t, TEI, "")
			c.Retries, c.Timeout = tt.retries, 100*time.Millisecond
			got, err := c.Embed(context.Background(), []string{"ab"})
			if tt.err == "" {
				if err != nil || !reflect.DeepEqual(got, [][]float64{{2, 2, 0.5}}) {
					t.Fatalf("got %v, %v", got, err)
				}
			} else if want := fmt.Sprintf(tt.err, f.srv.URL); err == nil || err.Error() != want {
				t.Fatalf("got  %v\nwant %s", err, want)
			}
			if !reflect.DeepEqual(*slept, tt.slept) {
				t.Errorf("slept %v, want %v", *slept, tt.slept)
			}
			if err != nil && strings.Contains(err.Error(), secret) {
				t.Errorf("error reveals the API key: %v", err)
			}
		})
	}
}

func TestTooLargeSplitsBatch(t *testing.T) {
	f := newFake(t)
	f.maxIn = 2
	c, _ := f.client(t, TEI, "")
	texts := []string{"a", "bb", "ccc", "dddd", "eeeee"}
	got, err := c.Embed(context.Background(), texts)
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range got {
		if v[0] != float64(len(texts[i])) {
			t.Fatalf("vector %d is %v", i, v)
		}
	}
	if len(f.calls) != 5 { // 5 -> 413; 2 ok; 3 -> 413; 1 ok; 2 ok
		t.Errorf("%d calls", len(f.calls))
	}
}

func TestModelIDAndCredentials(t *testing.T) {
	f := newFake(t)
	u, _ := url.Parse(strings.Replace(f.srv.URL, "http://", "http://user:pw@", 1))
	c := &Client{API: u, Style: TEI, Timeout: time.Second}
	id, err := c.ModelID(context.Background())
	if err != nil || id != "multilingual-e5-large" {
		t.Fatalf("ModelID = %q, %v", id, err)
	}
	f.script = []string{"400"}
	_, err = c.Embed(context.Background(), []string{"x"})
	if err == nil || strings.Contains(err.Error(), "pw") || !strings.Contains(err.Error(), "user:xxxxx@") {
		t.Errorf("error shows credentials or no URL: %v", err)
	}
}

func TestClientNeverPrintsTheKey(t *testing.T) {
	f := newFake(t)
	c, _ := f.client(t, TEI, "")
	if s := fmt.Sprintf("%v %+v %#v", c, c, *c); strings.Contains(s, secret) {
		t.Errorf("printing the client shows the key: %s", s)
	}
}

func TestConnectionRefused(t *testing.T) {
	f := newFake(t)
	c, slept := f.client(t, TEI, "")
	f.srv.Close()
	_, err := c.Embed(context.Background(), []string{"x"})
	if err == nil || !strings.Contains(err.Error(), "connection refused") || !strings.HasSuffix(err.Error(), "(gave up after 3 attempts)") {
		t.Errorf("got %v", err)
	}
	if len(*slept) != 2 {
		t.Errorf("slept %v", *slept)
	}
}
