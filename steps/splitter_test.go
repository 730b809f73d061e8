package steps

import (
	"bytes"
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/sebdah/goldie/v2"

	"github.com/wurzel-dev/wurzel/settings"
	"github.com/wurzel-dev/wurzel/steps/internal/corpus"
	"github.com/wurzel-dev/wurzel/steps/tokenizer"
)

func readFixtureDocs(t *testing.T) []Document {
	t.Helper()
	out, err := newStep(t, "ManualMarkdownStep", "FOLDER_PATH=testdata/splitter").Run(context.Background(), Data{})
	if err != nil {
		t.Fatal(err)
	}
	return out.Documents
}

// The chunks of testdata/splitter (front matter, a table, a code block, one long section).
// Update with GOLDIE_UPDATE=1 go test ./steps/ and read the diff.
func TestSplitterGolden(t *testing.T) {
	docs := readFixtureDocs(t)
	step := newStep(t, "SimpleSplitterStep", "TOKEN_COUNT_MAX=128", "TOKEN_COUNT_MIN=32", "TOKEN_COUNT_BUFFER=8")
	out, err := step.Run(context.Background(), Data{Documents: docs})
	if err != nil {
		t.Fatal(err)
	}
	var view strings.Builder
	for _, d := range out.Documents {
		fmt.Fprintf(&view, "=== %s  keywords=%q  metadata=%v\n%s\n\n", d.URL, d.Keywords, d.Metadata, d.MD)
	}
	var file bytes.Buffer
	if err := Write(&file, Documents, out); err != nil {
		t.Fatal(err)
	}
	g := goldie.New(t, goldie.WithFixtureDir("testdata/golden"), goldie.WithNameSuffix(".golden"))
	g.Assert(t, "splitter-chunks.md", []byte(view.String()))
	g.Assert(t, "splitter-output.json", file.Bytes())
}

func TestSplitterChunks(t *testing.T) {
	tok, err := tokenizer.Get(tokenizer.Cl100kBase)
	if err != nil {
		t.Fatal(err)
	}
	var docs []Document
	for seed := int64(1); seed <= 12; seed++ {
		md := corpus.New(corpus.Options{Seed: seed, Bytes: 6000, LongPara: seed%4 == 0, Unicode: true}).Markdown()
		docs = append(docs, Document{MD: md, Keywords: fmt.Sprint("k", seed), URL: fmt.Sprint("u", seed),
			Metadata: map[string]any{"source": "corpus", "token_len": "overwritten"}})
	}
	var first []Document
	for _, threads := range []string{"1", "3"} {
		step := newStep(t, "SimpleSplitterStep", "TOKEN_COUNT_MAX=200", "NUM_THREADS="+threads, "BATCH_SIZE=2")
		out, err := step.Run(context.Background(), Data{Documents: docs})
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = out.Documents
		} else if !reflect.DeepEqual(first, out.Documents) {
			t.Fatal("NUM_THREADS changed the output")
		}
	}
	byURL := map[string]int{}
	for _, c := range first {
		if n := tok.Count(c.MD); n > 200 || c.Metadata["token_len"] != int64(n) {
			t.Fatalf("%s chunk has %d tokens, metadata says %v", c.URL, n, c.Metadata["token_len"])
		}
		if c.Metadata["source"] != "corpus" || c.Metadata["chunk_index"] != int64(byURL[c.URL]) {
			t.Fatalf("metadata %v", c.Metadata)
		}
		if c.Keywords != "k"+strings.TrimPrefix(c.URL, "u") {
			t.Fatalf("keywords %q for %s", c.Keywords, c.URL)
		}
		byURL[c.URL]++
	}
	for _, c := range first {
		if c.Metadata["chunks_count"] != int64(byURL[c.URL]) {
			t.Fatalf("chunks_count %v, want %d", c.Metadata["chunks_count"], byURL[c.URL])
		}
	}
	if len(byURL) != len(docs) {
		t.Errorf("%d documents gave chunks, want %d", len(byURL), len(docs))
	}
}

func TestSplitterSettingsErrors(t *testing.T) {
	tests := []struct {
		env  []string
		want string
	}{
		{[]string{"TOKEN_COUNT_MIN=500", "TOKEN_COUNT_MAX=100"}, "TOKEN_COUNT_MIN: want less than TOKEN_COUNT_MAX (100), got 500"},
		{[]string{"TOKEN_COUNT_BUFFER=100", "TOKEN_COUNT_MAX=100", "TOKEN_COUNT_MIN=10"}, "TOKEN_COUNT_BUFFER: want less than TOKEN_COUNT_MAX (100), got 100"},
		{[]string{"TOKENIZER_MODEL=bert-base-uncased"}, `TOKENIZER_MODEL: unknown tokenizer model "bert-base-uncased": use an OpenAI model name such as gpt-3.5-turbo, gpt-4 or gpt-4o, or an encoding name (cl100k_base, o200k_base)`},
	}
	typ, _ := Lookup("SimpleSplitterStep")
	for _, tt := range tests {
		env := make([]string, len(tt.env))
		for i, e := range tt.env {
			env[i] = "SIMPLESPLITTERSTEP__" + e
		}
		v, err := settings.FromEnv(env, "SIMPLESPLITTERSTEP", typ.Settings, settings.Options{})
		if err != nil {
			t.Fatal(err)
		}
		_, err = typ.New(v)
		if err == nil || err.Error() != tt.want || !settings.IsError(err) {
			t.Errorf("%v:\n got %v\nwant %s", tt.env, err, tt.want)
		}
	}
}
