package steps

import (
	"bufio"
	"context"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/wurzel-dev/wurzel/settings"
	"github.com/wurzel-dev/wurzel/steps/internal/embedapi"
	"github.com/wurzel-dev/wurzel/steps/internal/mdsplit"
)

func init() {
	Register(&Type{
		Name:    "EmbeddingStep",
		Module:  "wurzel.steps.embedding.step",
		Version: "1",
		Doc:     "Splits documents into chunks of at most TOKEN_COUNT_MAX tokens and embeds each chunk with an HTTP embedding service (text-embeddings-inference or OpenAI-compatible).",
		Input:   Documents,
		Output:  Embeddings,
		Settings: append([]settings.Field{
			{Name: "API", Kind: settings.URL, Required: true,
				Doc: "Base URL of the embedding service (tei: /embed is appended; openai: /v1/embeddings)."},
			{Name: "API_STYLE", Kind: settings.String, Default: "tei", Enum: []string{"tei", "openai"},
				Doc: "Protocol: tei (text-embeddings-inference, what Python Wurzel speaks) or openai (POST /v1/embeddings)."},
			{Name: "MODEL_NAME", Kind: settings.String,
				Doc: "Model to ask for (required for openai); also chooses the PREFIX_MAP entry. For tei, empty means: ask the server's /info."},
			{Name: "API_KEY", Kind: settings.Secret,
				Doc: "Sent as a bearer token when set."},
			{Name: "BATCH_SIZE", Kind: settings.Int, Default: "100", Min: settings.Ptr(1),
				Doc: "Texts per request (text-embeddings-inference accepts 32 by default)."},
			{Name: "N_JOBS", Kind: settings.Int, Default: "1", Min: settings.Ptr(1),
				Doc: "Requests in flight at once."},
			{Name: "NORMALIZE", Kind: settings.Bool, Default: "false",
				Doc: "Unit-length vectors: tei normalizes on the server, openai vectors are scaled here."},
			{Name: "TIMEOUT", Kind: settings.Duration, Default: "60s", Min: settings.Ptr(0.001),
				Doc: "Time one request may take."},
			{Name: "RETRIES", Kind: settings.Int, Default: "3", Min: settings.Ptr(0),
				Doc: "Attempts after the first on timeouts, connection errors, 429 and 5xx, with exponential backoff and Retry-After."},
			{Name: "PREFIX_MAP", Kind: settings.Map, Elem: settings.String, Default: `{"e5-": "query: ", "DPR|dpr": ""}`,
				Doc: "Regular expression on the model name to the prefix put before each text; keys are tried in sorted order, the first match wins."},
			{Name: "CLEAN_MD_BEFORE_EMBEDDING", Kind: settings.Bool, Default: "true",
				Doc: "Embed the text without markdown markup, links replaced by LINK."},
			{Name: "STEPWORDS_PATH", Kind: settings.Path,
				Doc: "File of stop words (one a line, ; starts a comment) removed from the keywords column; unset: keywords as they are."},
			{Name: "NUM_THREADS", Kind: settings.Int, Default: "4", Min: settings.Ptr(1),
				Doc: "Documents split in parallel."},
		}, splitterSettings("1", "256")...),
		New: newEmbeddingStep,
	})
}

type embeddingStep struct {
	split     mdsplit.Options
	threads   int
	client    *embedapi.Client
	model     string
	prefixes  map[string]string
	batch     int
	jobs      int
	clean     bool
	stopwords map[string]bool // nil: keep keywords
}

func newEmbeddingStep(v settings.Values) (Step, error) {
	split, err := newSplitOptions(v)
	if err != nil {
		return nil, err
	}
	api, err := url.Parse(v.Str("API"))
	if err != nil {
		return nil, invalidSetting("API", "%v", err)
	}
	style := embedapi.Style(v.Str("API_STYLE"))
	if style == embedapi.OpenAI && v.Str("MODEL_NAME") == "" {
		return nil, &settings.Error{Problems: []settings.Problem{{Source: "MODEL_NAME", Code: settings.CodeMissing,
			Msg: "required with API_STYLE=openai (the model to ask for, such as text-embedding-3-small)"}}}
	}
	prefixes := map[string]string{}
	for k, p := range v.Map("PREFIX_MAP") {
		if _, err := regexp.Compile(k); err != nil {
			return nil, invalidSetting("PREFIX_MAP", "key %q is not a regular expression: %v", k, err)
		}
		prefixes[k], _ = p.(string)
	}
	s := &embeddingStep{
		split:   split,
		threads: int(v.Int("NUM_THREADS")),
		client: &embedapi.Client{API: api, Style: style, Model: v.Str("MODEL_NAME"), APIKey: v.Secret("API_KEY"),
			Normalize: v.Bool("NORMALIZE"), Timeout: v.Duration("TIMEOUT"), Retries: int(v.Int("RETRIES"))},
		model:    v.Str("MODEL_NAME"),
		prefixes: prefixes,
		batch:    int(v.Int("BATCH_SIZE")),
		jobs:     int(v.Int("N_JOBS")),
		clean:    v.Bool("CLEAN_MD_BEFORE_EMBEDDING"),
	}
	if v.Has("STEPWORDS_PATH") {
		if s.stopwords, err = readStopwords(v.Str("STEPWORDS_PATH")); err != nil {
			return nil, invalidSetting("STEPWORDS_PATH", "%v", err)
		}
	}
	return s, nil
}

func readStopwords(path string) (map[string]bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	words := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := sc.Text(); !strings.HasPrefix(line, ";") {
			words[strings.TrimSpace(line)] = true
		}
	}
	return words, sc.Err()
}

// Run splits the documents (as SimpleSplitterStep does, with this step's settings) and embeds
// each chunk. A row holds the chunk (text), its vector, the document's url, its keywords
// (without stop words when STEPWORDS_PATH is set), the text sent to the service
// (embedding_input_text: prefix plus, with CLEAN_MD_BEFORE_EMBEDDING, the chunk without
// markup) and the chunk's metadata. Any failed request fails the step; Python Wurzel skips
// the chunk instead and fails only when every chunk fails.
func (s *embeddingStep) Run(ctx context.Context, in Data) (Data, error) {
	chunks, err := splitDocuments(ctx, in.Documents, s.split, s.batch, s.threads, in.Consume)
	if err != nil {
		return Data{}, err
	}
	if len(chunks) == 0 {
		return Data{Embeddings: []Embedding{}}, nil
	}
	prefix, err := s.prefix(ctx)
	if err != nil {
		return Data{}, err
	}
	rows := make([]Embedding, len(chunks))
	inputs := make([]string, len(chunks))
	for i, c := range chunks {
		text := c.MD
		if s.clean {
			text = plainText(text)
		}
		inputs[i] = prefix + text
		rows[i] = Embedding{Text: c.MD, URL: c.URL, Keywords: s.keywords(c.Keywords), EmbeddingInputText: inputs[i], Metadata: c.Metadata}
	}
	if err := s.embed(ctx, inputs, rows); err != nil {
		return Data{}, err
	}
	return Data{Embeddings: rows}, nil
}

// embed fills rows[i].Vector for inputs[i], BATCH_SIZE texts a request, N_JOBS at a time.
func (s *embeddingStep) embed(ctx context.Context, inputs []string, rows []Embedding) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		mu       sync.Mutex
		firstErr error
		wg       sync.WaitGroup
	)
	batches := make(chan int)
	for range min(s.jobs, (len(inputs)+s.batch-1)/s.batch) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for first := range batches {
				last := min(first+s.batch, len(inputs))
				vecs, err := s.client.Embed(ctx, inputs[first:last])
				if err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = fmt.Errorf("embedding chunks %d to %d of %d: %w", first+1, last, len(inputs), err)
						cancel()
					}
					mu.Unlock()
					continue
				}
				for k, v := range vecs {
					rows[first+k].Vector = v
				}
			}
		}()
	}
	for first := 0; first < len(inputs) && ctx.Err() == nil; first += s.batch {
		batches <- first
	}
	close(batches)
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	return ctx.Err()
}

// prefix returns the PREFIX_MAP value of the first key (in sorted order) that matches the
// model name; for tei without MODEL_NAME the server's /info names the model.
func (s *embeddingStep) prefix(ctx context.Context) (string, error) {
	if len(s.prefixes) == 0 {
		return "", nil
	}
	model := s.model
	if model == "" && s.client.Style == embedapi.TEI {
		id, err := s.client.ModelID(ctx)
		if err != nil {
			return "", fmt.Errorf("finding the model for PREFIX_MAP (set MODEL_NAME, or PREFIX_MAP={} for no prefix): %w", err)
		}
		model = id
	}
	keys := make([]string, 0, len(s.prefixes))
	for k := range s.prefixes {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if regexp.MustCompile(k).MatchString(model) {
			return s.prefixes[k], nil
		}
	}
	return "", nil
}

// keywords removes stop words as Python Wurzel's get_simple_context does: split at white
// space (with runs of . , ! ? before it split off), drop words whose lower case is a stop
// word, join with spaces.
func (s *embeddingStep) keywords(k string) string {
	if s.stopwords == nil {
		return k
	}
	var out []string
	for _, tok := range pyWordSplit(k) {
		if !s.stopwords[strings.ToLower(tok)] {
			out = append(out, tok)
		}
	}
	return strings.Join(out, " ")
}

var wordSepRE = regexp.MustCompile(`([.,!?]+)?\s+`)

// pyWordSplit is Python's [x for x in re.split(r"([.,!?]+)?\s+", text) if x]: the captured
// punctuation is kept as its own item.
func pyWordSplit(text string) []string {
	var out []string
	last := 0
	for _, m := range wordSepRE.FindAllStringSubmatchIndex(text, -1) {
		if w := text[last:m[0]]; w != "" {
			out = append(out, w)
		}
		if m[2] >= 0 && m[3] > m[2] {
			out = append(out, text[m[2]:m[3]])
		}
		last = m[1]
	}
	if w := text[last:]; w != "" {
		out = append(out, w)
	}
	return out
}
