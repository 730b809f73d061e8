package runtime

import (
	"bufio"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/wurzel-dev/wurzel/settings"
	"github.com/wurzel-dev/wurzel/steps"
)

// lines is a test data contract: one document per line of a .txt file.
const lines steps.Contract = "test-lines"

func init() {
	RegisterCodec(lines, Codec{
		Ext: ".txt",
		Read: func(r io.Reader) (steps.Data, error) {
			var d steps.Data
			sc := bufio.NewScanner(r)
			for sc.Scan() {
				if sc.Text() == "corrupt" {
					return d, errors.New("line 1: not a document")
				}
				d.Documents = append(d.Documents, steps.Document{MD: sc.Text(), URL: "u"})
			}
			return d, sc.Err()
		},
		Write: func(w io.Writer, d steps.Data) error {
			docs := slices.Clone(d.Documents)
			slices.SortFunc(docs, func(a, b steps.Document) int { return strings.Compare(a.MD, b.MD) })
			for _, doc := range docs {
				if _, err := io.WriteString(w, doc.MD+"\n"); err != nil {
					return err
				}
			}
			return nil
		},
	})
	steps.Register(&steps.Type{
		Name: "TstSourceStep", Module: "wurzel.steps.test", Output: lines,
		Settings: []settings.Field{
			{Name: "LINES", Kind: settings.List, Default: `["b", "a"]`},
			{Name: "FOLDER_PATH", Kind: settings.Path, Required: true},
		},
		New: func(v settings.Values) (steps.Step, error) {
			return stepFunc(func(_ context.Context, _ steps.Data) (steps.Data, error) {
				var d steps.Data
				for _, l := range v.Strings("LINES") {
					d.Documents = append(d.Documents, steps.Document{MD: l, URL: "u"})
				}
				return d, nil
			}), nil
		},
	})
	steps.Register(&steps.Type{
		Name: "TstUpperStep", Module: "wurzel.steps.test", Input: lines, Output: lines,
		Settings: []settings.Field{
			{Name: "FAIL_ON", Kind: settings.String},
			{Name: "BATCH_SIZE", Kind: settings.Int, Default: "1"},
		},
		New: func(v settings.Values) (steps.Step, error) {
			return stepFunc(func(ctx context.Context, in steps.Data) (steps.Data, error) {
				var d steps.Data
				for _, doc := range in.Documents {
					if f := v.Str("FAIL_ON"); f != "" && doc.MD == f {
						return d, errors.New("cannot handle " + f)
					}
					doc.MD = strings.ToUpper(doc.MD)
					d.Documents = append(d.Documents, doc)
				}
				return d, ctx.Err()
			}), nil
		},
	})
}

type stepFunc func(context.Context, steps.Data) (steps.Data, error)

func (f stepFunc) Run(ctx context.Context, in steps.Data) (steps.Data, error) { return f(ctx, in) }

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// readTree returns "name=content" for every file below dir, sorted; "<none>" when dir
// does not exist.
func readTree(t *testing.T, dir string) string {
	t.Helper()
	if _, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) {
		return "<none>"
	}
	var out []string
	err := filepath.WalkDir(dir, func(p string, e os.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		b, err := os.ReadFile(p)
		out = append(out, filepath.ToSlash(rel)+"="+string(b))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return strings.Join(out, "\n")
}

// names lists the entries of dir.
func names(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		out = append(out, e.Name())
	}
	return out
}
