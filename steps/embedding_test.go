package steps

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wurzel-dev/wurzel/settings"
)

const testKey = "sk-secret-value-42"

// embedServer speaks both protocols. fail holds statuses to answer before succeeding
// ("hang" waits until the client gives up).
type embedServer struct {
	mu     sync.Mutex
	fail   []string
	inputs [][]string
	auth   []string
	srv    *httptest.Server
}

func newEmbedServer(t *testing.T, fail ...string) *embedServer {
	e := &embedServer{fail: fail}
	e.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && r.URL.Path == "/info" {
			fmt.Fprint(w, `{"model_id": "intfloat/multilingual-e5-large"}`)
			return
		}
		var body struct {
			Inputs []string `json:"inputs"`
			Input  []string `json:"input"`
			Model  string   `json:"model"`
		}
		_ = json.NewDecoder(r.Body).Decode(&body)
		e.mu.Lock()
		e.auth = append(e.auth, r.Header.Get("Authorization"))
		step := ""
		if len(e.fail) > 0 {
			step, e.fail = e.fail[0], e.fail[1:]
		}
		e.mu.Unlock()
		switch step {
		case "hang":
			<-r.Context().Done()
			return
		case "429":
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		case "400":
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprintf(w, `{"error": "bad input for key %s"}`, testKey)
			return
		}
		texts := append(body.Inputs, body.Input...)
		e.mu.Lock()
		e.inputs = append(e.inputs, texts)
		e.mu.Unlock()
		vecs := make([][]float64, len(texts))
		for i, s := range texts {
			vecs[i] = []float64{float64(len(s)), 0.25}
		}
		if r.URL.Path == "/v1/embeddings" {
			var data []map[string]any
			for i, v := range vecs {
				data = append(data, map[string]any{"index": i, "embedding": v})
			}
			_ = json.NewEncoder(w).Encode(map[string]any{"data": data, "model": body.Model})
			return
		}
		_ = json.NewEncoder(w).Encode(vecs)
	}))
	t.Cleanup(e.srv.Close)
	return e
}

func embeddingDocs() []Document {
	return []Document{
		{MD: "# Title\n\nSome **bold** text with a [link](https://example.org/page).", Keywords: "Die Wurzel, und der Baum.", URL: "u1",
			Metadata: map[string]any{"lang": "de"}},
		{MD: "Second document.", Keywords: "k2", URL: "u2"},
	}
}

func TestEmbeddingTEI(t *testing.T) {
	e := newEmbedServer(t)
	dir := t.TempDir()
	stop := filepath.Join(dir, "stop.txt")
	if err := os.WriteFile(stop, []byte("; German stop words\ndie\nund\nder\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	step := newStep(t, "EmbeddingStep", "API="+e.srv.URL, "API_KEY="+testKey, "STEPWORDS_PATH="+stop, "BATCH_SIZE=1")
	out, err := step.Run(context.Background(), Data{Documents: embeddingDocs()})
	if err != nil {
		t.Fatal(err)
	}
	want := []Embedding{
		{Text: "# Title\n\nSome **bold** text with a [link](https://example.org/page).", Vector: []float64{41, 0.25}, URL: "u1",
			Keywords: "Wurzel , Baum.", EmbeddingInputText: "query: Title\n\nSome bold text with a link.",
			Metadata: map[string]any{"lang": "de", "char_len": int64(68), "token_len": int64(19), "chunk_index": int64(0), "chunks_count": int64(1)}},
		{Text: "Second document.", Vector: []float64{23, 0.25}, URL: "u2", Keywords: "k2", EmbeddingInputText: "query: Second document.",
			Metadata: map[string]any{"char_len": int64(16), "token_len": int64(3), "chunk_index": int64(0), "chunks_count": int64(1)}},
	}
	if !reflect.DeepEqual(out.Embeddings, want) {
		t.Errorf("got  %#v\nwant %#v", out.Embeddings, want)
	}
	if len(e.inputs) != 2 || e.auth[0] != "Bearer "+testKey {
		t.Errorf("requests %q, auth %q", e.inputs, e.auth)
	}
	var csv bytes.Buffer
	if err := Write(&csv, Embeddings, out); err != nil {
		t.Fatal(err)
	}
	back, err := ReadEmbeddings(&csv)
	if err != nil || len(back) != 2 {
		t.Fatalf("reading back: %v", err)
	}
}

func TestEmbeddingOpenAI(t *testing.T) {
	e := newEmbedServer(t)
	step := newStep(t, "EmbeddingStep", "API="+e.srv.URL, "API_STYLE=openai", "MODEL_NAME=text-embedding-3-small",
		"NORMALIZE=true", "CLEAN_MD_BEFORE_EMBEDDING=false", "N_JOBS=2", "BATCH_SIZE=1")
	out, err := step.Run(context.Background(), Data{Documents: embeddingDocs()})
	if err != nil {
		t.Fatal(err)
	}
	if got := out.Embeddings[1]; got.EmbeddingInputText != "Second document." || got.Vector[0] < 0.99 || got.Vector[0] > 1 {
		t.Errorf("row %#v", got)
	}
}

func TestEmbeddingErrors(t *testing.T) {
	tests := []struct {
		name   string
		script []string
		env    []string
		want   string // %s is the server URL
	}{
		{"client error", []string{"400"}, nil,
			"embedding chunks 1 to 2 of 2: POST %s/embed: 400 Bad Request: bad input for key ***"},
		{"rate limited, then fine", []string{"429"}, nil, ""},
		{"timeouts", []string{"hang", "hang"}, []string{"TIMEOUT=50ms", "RETRIES=1"},
			"embedding chunks 1 to 2 of 2: POST %s/embed: no response within 50ms (TIMEOUT) (gave up after 2 attempts)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEmbedServer(t, tt.script...)
			env := append([]string{"API=" + e.srv.URL, "API_KEY=" + testKey, "PREFIX_MAP={}"}, tt.env...)
			step := newStep(t, "EmbeddingStep", env...)
			var slept []time.Duration
			step.(*embeddingStep).client.Sleep = func(_ context.Context, d time.Duration) error {
				slept = append(slept, d)
				return nil
			}
			_, err := step.Run(context.Background(), Data{Documents: embeddingDocs()})
			if tt.want == "" {
				if err != nil || !reflect.DeepEqual(slept, []time.Duration{time.Second}) {
					t.Errorf("err %v, slept %v (want the Retry-After second)", err, slept)
				}
				return
			}
			if want := fmt.Sprintf(tt.want, e.srv.URL); err == nil || err.Error() != want {
				t.Errorf("got  %v\nwant %s", err, want)
			}
		})
	}
}

func TestEmbeddingSettingsErrors(t *testing.T) {
	tests := []struct {
		env  []string
		want string
	}{
		{[]string{"API=http://localhost:8080", "API_STYLE=openai"}, "MODEL_NAME: required with API_STYLE=openai (the model to ask for, such as text-embedding-3-small)"},
		{[]string{"API=http://localhost:8080", `PREFIX_MAP={"(": "x"}`}, "PREFIX_MAP: key \"(\" is not a regular expression: error parsing regexp: missing closing ): `(`"},
		{[]string{"API=http://localhost:8080", "STEPWORDS_PATH=/nonexistent/stop.txt"}, "STEPWORDS_PATH: open /nonexistent/stop.txt: no such file or directory"},
	}
	typ, _ := Lookup("EmbeddingStep")
	for _, tt := range tests {
		env := make([]string, len(tt.env))
		for i, e := range tt.env {
			env[i] = "EMBEDDINGSTEP__" + e
		}
		v, err := settings.FromEnv(env, "EMBEDDINGSTEP", typ.Settings, settings.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := typ.New(v); err == nil || err.Error() != tt.want || !settings.IsError(err) {
			t.Errorf("%v:\n got %v\nwant %s", tt.env, err, tt.want)
		}
	}
}

func TestPlainText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"# Title\n\nSome **bold** and *em* and `code`.", "Title\n\nSome bold and em and code."},
		{"See [the docs](https://x.org/a) or https://example.com/path?q=1 now.", "See the docs or LINK now."},
		{"| a | b |\n|---|---|\n| 1 | 2 |", "a b\n1 2"},
		{"```go\nx := 1\n```\n\n- item\n> quote", "x := 1\n\nitem\nquote"},
		{"snake_case_name stays", "snake_case_name stays"},
	}
	for _, tt := range tests {
		if got := plainText(tt.in); got != tt.want {
			t.Errorf("plainText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestPyWordSplit(t *testing.T) {
	got := pyWordSplit("Die Wurzel, und der Baum.  ok!! x")
	want := []string{"Die", "Wurzel", ",", "und", "der", "Baum", ".", "ok", "!!", "x"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("got %q, want %q", got, want)
	}
}
