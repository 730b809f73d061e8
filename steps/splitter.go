package steps

import (
	"context"
	"maps"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/wurzel-dev/wurzel/settings"
	"github.com/wurzel-dev/wurzel/steps/internal/mdsplit"
	"github.com/wurzel-dev/wurzel/steps/tokenizer"
)

// splitterSettings are the settings SimpleSplitterStep shares with EmbeddingStep, which
// splits before embedding; the defaults differ.
func splitterSettings(minTokens, maxTokens string) []settings.Field {
	return []settings.Field{
		{Name: "TOKEN_COUNT_MIN", Kind: settings.Int, Default: minTokens, Min: settings.Ptr(1),
			Doc: "Chunks with fewer tokens are merged with a neighbour where the result fits TOKEN_COUNT_MAX."},
		{Name: "TOKEN_COUNT_MAX", Kind: settings.Int, Default: maxTokens, Min: settings.Ptr(8),
			Doc: "No chunk has more tokens, counted by TOKENIZER_MODEL's tokenizer."},
		{Name: "TOKEN_COUNT_BUFFER", Kind: settings.Int, Default: "32", Min: settings.Ptr(0),
			Doc: "A chunk within this many tokens of TOKEN_COUNT_MAX takes no further sections or blocks."},
		{Name: "TOKENIZER_MODEL", Kind: settings.String, Default: "gpt-3.5-turbo",
			Doc: "OpenAI model or encoding whose tokenizer counts tokens: gpt-3.5-turbo and gpt-4 (cl100k_base), gpt-4o (o200k_base). Works offline."},
		{Name: "SENTENCE_SPLITTER_MODEL", Kind: settings.String, Default: "de_core_news_sm",
			Doc: "Accepted for compatibility with Python Wurzel and ignored: sentences are found by punctuation rules."},
	}
}

func init() {
	Register(&Type{
		Name:    "SimpleSplitterStep",
		Module:  "wurzel.steps.splitter",
		Version: "1",
		Doc:     "Splits markdown documents into chunks of at most TOKEN_COUNT_MAX tokens along headings, blocks and sentences, keeping the heading path in each chunk.",
		Input:   Documents,
		Output:  Documents,
		Settings: append([]settings.Field{
			{Name: "BATCH_SIZE", Kind: settings.Int, Default: "100", Min: settings.Ptr(1),
				Doc: "Documents handed to a worker at a time."},
			{Name: "NUM_THREADS", Kind: settings.Int, Default: "4", Min: settings.Ptr(1),
				Doc: "Documents split in parallel; the output order does not depend on it."},
		}, splitterSettings("64", "1024")...),
		New: func(v settings.Values) (Step, error) {
			opts, err := newSplitOptions(v)
			if err != nil {
				return nil, err
			}
			return &splitterStep{opts: opts, batch: int(v.Int("BATCH_SIZE")), threads: int(v.Int("NUM_THREADS"))}, nil
		},
	})
}

// newSplitOptions checks the splitter settings together and loads the tokenizer.
func newSplitOptions(v settings.Values) (mdsplit.Options, error) {
	opts := mdsplit.Options{
		MinTokens:    int(v.Int("TOKEN_COUNT_MIN")),
		MaxTokens:    int(v.Int("TOKEN_COUNT_MAX")),
		BufferTokens: int(v.Int("TOKEN_COUNT_BUFFER")),
	}
	var ps []settings.Problem
	invalid := func(field, format string, args ...any) {
		ps = append(ps, invalidSetting(field, format, args...).(*settings.Error).Problems...)
	}
	if opts.MinTokens >= opts.MaxTokens {
		invalid("TOKEN_COUNT_MIN", "want less than TOKEN_COUNT_MAX (%d), got %d", opts.MaxTokens, opts.MinTokens)
	}
	if opts.BufferTokens >= opts.MaxTokens {
		invalid("TOKEN_COUNT_BUFFER", "want less than TOKEN_COUNT_MAX (%d), got %d", opts.MaxTokens, opts.BufferTokens)
	}
	tok, err := tokenizer.ForModel(v.Str("TOKENIZER_MODEL"))
	if err != nil {
		invalid("TOKENIZER_MODEL", "%v", err)
	}
	if len(ps) > 0 {
		return opts, &settings.Error{Problems: ps}
	}
	opts.Tokenizer = tok
	return opts, nil
}

// splitterStep splits each document with mdsplit.Split. A chunk keeps its document's url and
// keywords; its metadata is the document's plus, as Python Wurzel names them, token_len and
// char_len (of the chunk's md, in tokens and characters), chunk_index and chunks_count.
// Python Wurzel replaces the document's metadata instead of extending it, reformats chunks
// with mdformat, and drops chunks and whole documents shorter than TOKEN_COUNT_MIN; here
// chunks are the document's own text (line ends normalized to "\n"), nothing is dropped, and
// a document without text gives no chunks.
type splitterStep struct {
	opts           mdsplit.Options
	batch, threads int
}

func (s *splitterStep) Run(ctx context.Context, in Data) (Data, error) {
	out, err := splitDocuments(ctx, in.Documents, s.opts, s.batch, s.threads, in.Consume)
	return Data{Documents: out}, err
}

// splitDocuments splits docs on up to threads goroutines, batch documents at a time, and
// returns the chunks in document order. With consume, each document is cleared once split.
func splitDocuments(ctx context.Context, docs []Document, opts mdsplit.Options, batch, threads int, consume bool) ([]Document, error) {
	results := make([][]Document, len(docs))
	batches := make(chan int)
	var wg sync.WaitGroup
	for range max(1, min(threads, (len(docs)+batch-1)/batch)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for first := range batches {
				for i := first; i < min(first+batch, len(docs)) && ctx.Err() == nil; i++ {
					results[i] = chunkDocument(docs[i], opts, consume)
					if consume {
						docs[i] = Document{}
					}
				}
			}
		}()
	}
	for first := 0; first < len(docs) && ctx.Err() == nil; first += batch {
		batches <- first
	}
	close(batches)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var out []Document
	for _, r := range results {
		out = append(out, r...)
	}
	if out == nil {
		out = []Document{}
	}
	return out, nil
}

// chunkDocument splits one document. With own, chunks get their own copy of the text
// they would otherwise share with the document (a chunk without context is a slice of
// it), so that the document's memory can go.
func chunkDocument(doc Document, opts mdsplit.Options, own bool) []Document {
	chunks := mdsplit.Split(doc.MD, opts)
	out := make([]Document, len(chunks))
	for i, c := range chunks {
		if own && c.Context == "" {
			c.Text = strings.Clone(c.Text)
		}
		md := make(map[string]any, len(doc.Metadata)+4)
		maps.Copy(md, doc.Metadata)
		md["token_len"] = int64(c.Tokens)
		md["char_len"] = int64(utf8.RuneCountInString(c.Text))
		md["chunk_index"] = int64(i)
		md["chunks_count"] = int64(len(chunks))
		out[i] = Document{MD: c.Text, Keywords: doc.Keywords, URL: doc.URL, Metadata: md}
	}
	return out
}
