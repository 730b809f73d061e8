package embedapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/wurzel-dev/wurzel/settings"
)

// Style selects the protocol.
type Style string

// The protocols.
const (
	TEI    Style = "tei"
	OpenAI Style = "openai"
)

// Client embeds texts. Its zero value is not usable; fill in the fields.
type Client struct {
	// API is the service's base URL; the protocol's path is appended unless the URL already
	// ends with it (/embed for tei; /v1/embeddings, or /embeddings after /v1, for openai).
	API       *url.URL
	Style     Style
	Model     string                // sent as "model" (openai)
	APIKey    settings.SecretString // sent as "Authorization: Bearer <key>" when not empty; never printed
	Normalize bool                  // tei: ask the server; openai: scale vectors to unit length here
	Timeout   time.Duration
	Retries   int // attempts after the first
	// HTTP is the transport (http.DefaultClient when nil).
	HTTP *http.Client
	// Sleep waits between attempts (time.Sleep, stopping early when ctx ends, when nil).
	Sleep func(ctx context.Context, d time.Duration) error
}

const (
	firstBackoff = 500 * time.Millisecond
	maxBackoff   = 30 * time.Second
	maxRetryWait = 5 * time.Minute // a longer Retry-After is capped
	maxBody      = 256 << 20
)

// EmbedURL returns the URL texts are posted to.
func (c *Client) EmbedURL() *url.URL {
	u := *c.API
	p := strings.TrimSuffix(u.Path, "/")
	switch c.Style {
	case OpenAI:
		switch {
		case strings.HasSuffix(p, "/embeddings"):
		case strings.HasSuffix(p, "/v1"):
			p += "/embeddings"
		default:
			p += "/v1/embeddings"
		}
	default:
		if !strings.HasSuffix(p, "/embed") {
			p += "/embed"
		}
	}
	u.Path, u.RawPath = p, ""
	return &u
}

// InfoURL returns the tei /info URL.
func (c *Client) InfoURL() *url.URL {
	u := *c.EmbedURL()
	u.Path = strings.TrimSuffix(u.Path, "/embed") + "/info"
	return &u
}

// ModelID asks a tei server for its model (GET /info) and returns the last part of the
// model id ("intfloat/multilingual-e5-large" gives "multilingual-e5-large"), as Python
// Wurzel does to choose a prefix.
func (c *Client) ModelID(ctx context.Context) (string, error) {
	body, err := c.do(ctx, http.MethodGet, c.InfoURL(), nil)
	if err != nil {
		return "", err
	}
	var info struct {
		ModelID string `json:"model_id"`
	}
	if err := json.Unmarshal(body, &info); err != nil || info.ModelID == "" {
		return "", fmt.Errorf("GET %s: want a JSON object with model_id, got %s", c.InfoURL().Redacted(), snippet(body, c.APIKey.Reveal()))
	}
	parts := strings.Split(strings.Trim(info.ModelID, "/"), "/")
	return parts[len(parts)-1], nil
}

// Embed returns one vector per text, in order.
func (c *Client) Embed(ctx context.Context, texts []string) ([][]float64, error) {
	if len(texts) == 0 {
		return nil, nil
	}
	vecs, err := c.embedOnce(ctx, texts)
	var tooLarge *tooLargeError
	if errors.As(err, &tooLarge) && len(texts) > 1 {
		half := len(texts) / 2
		first, err := c.Embed(ctx, texts[:half])
		if err != nil {
			return nil, err
		}
		second, err := c.Embed(ctx, texts[half:])
		if err != nil {
			return nil, err
		}
		return append(first, second...), nil
	}
	return vecs, err
}

func (c *Client) embedOnce(ctx context.Context, texts []string) ([][]float64, error) {
	u := c.EmbedURL()
	var req any
	if c.Style == OpenAI {
		req = map[string]any{"model": c.Model, "input": texts}
	} else {
		req = map[string]any{"inputs": texts, "normalize": c.Normalize}
	}
	payload, err := json.Marshal(req)
	if err != nil {
		return nil, err
	}
	body, err := c.do(ctx, http.MethodPost, u, payload)
	if err != nil {
		return nil, err
	}
	vecs, err := c.parse(body, len(texts))
	if err != nil {
		return nil, fmt.Errorf("POST %s: %w", u.Redacted(), err)
	}
	if c.Style == OpenAI && c.Normalize {
		for _, v := range vecs {
			normalize(v)
		}
	}
	return vecs, nil
}

func (c *Client) parse(body []byte, n int) ([][]float64, error) {
	var vecs [][]float64
	if c.Style == OpenAI {
		var resp struct {
			Data []struct {
				Index     *int      `json:"index"`
				Embedding []float64 `json:"embedding"`
			} `json:"data"`
		}
		if err := json.Unmarshal(body, &resp); err != nil || resp.Data == nil {
			return nil, fmt.Errorf("want {\"data\": [{\"index\": 0, \"embedding\": [...]}, ...]}, got %s", snippet(body, c.APIKey.Reveal()))
		}
		vecs = make([][]float64, len(resp.Data))
		for i, d := range resp.Data {
			k := i
			if d.Index != nil {
				k = *d.Index
			}
			if k < 0 || k >= len(vecs) || vecs[k] != nil {
				return nil, fmt.Errorf("data[%d]: index %d is out of range or repeated", i, k)
			}
			vecs[k] = d.Embedding
		}
	} else if err := json.Unmarshal(body, &vecs); err != nil {
		return nil, fmt.Errorf("want a JSON array of vectors, got %s", snippet(body, c.APIKey.Reveal()))
	}
	if len(vecs) != n {
		return nil, fmt.Errorf("sent %d texts, got %d vectors", n, len(vecs))
	}
	for i, v := range vecs {
		if len(v) == 0 {
			return nil, fmt.Errorf("vector %d is empty", i)
		}
		if len(v) != len(vecs[0]) {
			return nil, fmt.Errorf("vector %d has %d dimensions, vector 0 has %d", i, len(v), len(vecs[0]))
		}
	}
	return vecs, nil
}

func normalize(v []float64) {
	var sum float64
	for _, x := range v {
		sum += x * x
	}
	if sum == 0 {
		return
	}
	n := math.Sqrt(sum)
	for i := range v {
		v[i] /= n
	}
}

// tooLargeError is a 413 response: the batch should be split.
type tooLargeError struct{ err error }

func (e *tooLargeError) Error() string { return e.err.Error() }
func (e *tooLargeError) Unwrap() error { return e.err }

// do sends one request with retries and returns the body of a 2xx response.
func (c *Client) do(ctx context.Context, method string, u *url.URL, payload []byte) ([]byte, error) {
	attempts := c.Retries + 1
	backoff := firstBackoff
	for attempt := 1; ; attempt++ {
		body, wait, err := c.try(ctx, method, u, payload)
		if err == nil {
			return body, nil
		}
		if wait < 0 || attempt >= attempts || ctx.Err() != nil {
			if attempts > 1 && wait >= 0 && ctx.Err() == nil {
				return nil, fmt.Errorf("%w (gave up after %d attempts)", err, attempts)
			}
			return nil, err
		}
		if wait == 0 {
			wait = backoff
		}
		backoff = min(2*backoff, maxBackoff)
		if err := c.sleep(ctx, min(wait, maxRetryWait)); err != nil {
			return nil, err
		}
	}
}

// try sends one request. wait is -1 when the error is final, else how long to wait before
// the next attempt (0: the backoff decides).
func (c *Client) try(ctx context.Context, method string, u *url.URL, payload []byte) ([]byte, time.Duration, error) {
	where := method + " " + u.Redacted()
	rctx, cancel := context.WithTimeout(ctx, c.Timeout)
	defer cancel()
	var body io.Reader
	if payload != nil {
		body = bytes.NewReader(payload)
	}
	req, err := http.NewRequestWithContext(rctx, method, u.String(), body)
	if err != nil {
		return nil, -1, fmt.Errorf("%s: %w", where, err)
	}
	req.Header.Set("Accept", "application/json")
	if payload != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.APIKey != "" {
		req.Header.Set("Authorization", "Bearer "+c.APIKey.Reveal())
	}
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, -1, ctx.Err()
		}
		if rctx.Err() != nil {
			return nil, 0, fmt.Errorf("%s: no response within %s (TIMEOUT)", where, c.Timeout)
		}
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // url.Error repeats the URL, which may hold credentials
		}
		return nil, 0, fmt.Errorf("%s: %v", where, err) // connection errors may pass: retry
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		if rctx.Err() != nil && ctx.Err() == nil {
			return nil, 0, fmt.Errorf("%s: no complete response within %s (TIMEOUT)", where, c.Timeout)
		}
		return nil, 0, fmt.Errorf("%s: reading the response: %v", where, err)
	}
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return data, 0, nil
	}
	err = fmt.Errorf("%s: %s: %s%s", where, resp.Status, serverMessage(data, c.APIKey.Reveal()), hint(resp.StatusCode))
	switch {
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		return nil, retryAfter(resp.Header.Get("Retry-After")), err
	case resp.StatusCode == http.StatusRequestEntityTooLarge:
		return nil, -1, &tooLargeError{err}
	}
	return nil, -1, err
}

func hint(status int) string {
	switch status {
	case http.StatusUnauthorized, http.StatusForbidden:
		return " (check API_KEY)"
	case http.StatusNotFound:
		return " (check API and API_STYLE)"
	case http.StatusRequestEntityTooLarge:
		return " (lower BATCH_SIZE)"
	}
	return ""
}

// retryAfter reads a Retry-After header: seconds or an HTTP date. 0 when absent or invalid.
func retryAfter(h string) time.Duration {
	if h == "" {
		return 0
	}
	if n, err := strconv.Atoi(strings.TrimSpace(h)); err == nil && n >= 0 {
		if n == 0 {
			return time.Millisecond
		}
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(h); err == nil {
		if d := time.Until(t); d > 0 {
			return d
		}
		return time.Millisecond
	}
	return 0
}

func (c *Client) sleep(ctx context.Context, d time.Duration) error {
	if c.Sleep != nil {
		return c.Sleep(ctx, d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// serverMessage extracts the error message of a JSON error body ({"error": "..."},
// {"error": {"message": "..."}}, {"message": "..."}), else the start of the body.
func serverMessage(body []byte, secret string) string {
	var v struct {
		Error   json.RawMessage `json:"error"`
		Message string          `json:"message"`
	}
	if json.Unmarshal(body, &v) == nil {
		var s string
		var obj struct {
			Message string `json:"message"`
		}
		switch {
		case json.Unmarshal(v.Error, &s) == nil && s != "":
			return snippet([]byte(s), secret)
		case json.Unmarshal(v.Error, &obj) == nil && obj.Message != "":
			return snippet([]byte(obj.Message), secret)
		case v.Message != "":
			return snippet([]byte(v.Message), secret)
		}
	}
	return snippet(body, secret)
}

// snippet quotes the start of a body for an error message, with the secret blanked out.
func snippet(body []byte, secret string) string {
	s := strings.ToValidUTF8(string(body), "?")
	if secret != "" {
		s = strings.ReplaceAll(s, secret, "***")
	}
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		return "(empty body)"
	}
	if len(s) > 300 {
		cut := 300
		for cut > 0 && !utf8RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "..."
	}
	return s
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }
