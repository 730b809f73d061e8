package runtime

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wurzel-dev/wurzel/settings"
	"github.com/wurzel-dev/wurzel/steps"
)

func init() {
	steps.Register(&steps.Type{
		Name: "TstDocPassStep", Module: "wurzel.steps.test", Input: steps.Documents, Output: steps.Documents,
		Settings: []settings.Field{{Name: "KEYWORD", Kind: settings.String, Default: "seen"}},
		New: func(v settings.Values) (steps.Step, error) {
			return stepFunc(func(_ context.Context, in steps.Data) (steps.Data, error) {
				out := steps.Data{}
				for _, d := range in.Documents {
					d.Keywords = v.Str("KEYWORD")
					out.Documents = append(out.Documents, d)
				}
				return out, nil
			}), nil
		},
	})
}

// TestRunStepPythonDocuments feeds a documents file as Python Wurzel writes it through a
// step and checks the file written back in the same format.
func TestRunStepPythonDocuments(t *testing.T) {
	root := t.TempDir()
	in := filepath.Join(root, "ManualMarkdownStep")
	writeFiles(t, in, map[string]string{
		"ManualMarkdown.json": `[{"md": "# B\n\nsecond", "keywords": "b", "url": "ManualMarkdownStep//docs/b.md", "metadata": null}, ` +
			`{"md": "# A\n\nfirst \u00e4", "keywords": "a", "url": "ManualMarkdownStep//docs/a.md", "metadata": {"lang": "de"}}]`,
	})
	out := filepath.Join(root, "PassStep")
	rep, err := RunStep(context.Background(), Options{Step: "wurzel.steps.test:TstDocPassStep", Output: out, Inputs: []string{in}})
	if err != nil {
		t.Fatal(err)
	}
	if rep.ItemsIn != 2 || rep.ItemsOut != 2 {
		t.Errorf("report %+v", rep)
	}
	b, err := os.ReadFile(filepath.Join(out, "ManualMarkdown-TstDocPass.json"))
	if err != nil {
		t.Fatal(err)
	}
	got := string(b)
	for _, want := range []string{
		`{"md": "# A\n\nfirst \u00e4", "keywords": "seen", "url": "ManualMarkdownStep//docs/a.md", "metadata": {"lang": "de"}}`,
		`{"md": "# B\n\nsecond", "keywords": "seen", "url": "ManualMarkdownStep//docs/b.md", "metadata": null}`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output\n%s\nlacks\n%s", got, want)
		}
	}
	if !strings.HasPrefix(got, "[{") || !strings.HasSuffix(got, "}]") {
		t.Errorf("not a JSON array as Python writes it: %s", got)
	}

	// An embeddings file is not input for a documents step.
	csv := filepath.Join(root, "EmbeddingStep")
	writeFiles(t, csv, map[string]string{"ManualMarkdown-Embedding.csv": "text,vector,url,keywords,embedding_input_text,metadata\n"})
	_, err = RunStep(context.Background(), Options{Step: "TstDocPassStep", Output: out, Inputs: []string{csv}})
	want := "step TstDocPassStep: input file " + filepath.Join(csv, "ManualMarkdown-Embedding.csv") + `: TstDocPassStep reads documents (.json files), not ".csv" files`
	if err == nil || err.Error() != want || !IsInvalid(err) {
		t.Errorf("error %v, want %s", err, want)
	}
}
