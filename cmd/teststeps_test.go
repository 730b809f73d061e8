package cmd

import (
	"bufio"
	"context"
	"errors"
	"io"
	"slices"
	"strings"

	"github.com/wurzel-dev/wurzel/runtime"
	"github.com/wurzel-dev/wurzel/settings"
	"github.com/wurzel-dev/wurzel/steps"
)

// testLines is the data contract of the test steps: one document per line of a .txt file.
const testLines steps.Contract = "test-lines"

// registerTestSteps adds TstSourceStep (writes LINES) and TstUpperStep (upper-cases its
// input, fails on a line equal to FAIL_ON) for scripts.
func registerTestSteps() {
	runtime.RegisterCodec(testLines, runtime.Codec{
		Ext: ".txt",
		Read: func(r io.Reader) (steps.Data, error) {
			var d steps.Data
			sc := bufio.NewScanner(r)
			for sc.Scan() {
				d.Documents = append(d.Documents, steps.Document{MD: sc.Text()})
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
		Name: "TstSourceStep", Module: "wurzel.steps.test", Version: "1", Output: testLines,
		Doc: "Writes the lines of its LINES setting.",
		Settings: []settings.Field{
			{Name: "FOLDER_PATH", Kind: settings.Path, Required: true, Doc: "where the documents are"},
			{Name: "LINES", Kind: settings.List, Default: `["b", "a"]`, Doc: "the documents to write"},
			{Name: "API_KEY", Kind: settings.Secret, Doc: "a secret"},
			{Name: "BATCH_SIZE", Kind: settings.Int, Default: "100", Min: settings.Ptr(1), Doc: "documents per batch"},
		},
		New: func(v settings.Values) (steps.Step, error) {
			return stepFunc(func(context.Context, steps.Data) (steps.Data, error) {
				var d steps.Data
				for _, l := range v.Strings("LINES") {
					d.Documents = append(d.Documents, steps.Document{MD: l})
				}
				return d, nil
			}), nil
		},
	})
	steps.Register(&steps.Type{
		Name: "TstUpperStep", Module: "wurzel.steps.test", Version: "1", Input: testLines, Output: testLines,
		Doc: "Upper-cases every document.",
		Settings: []settings.Field{
			{Name: "FAIL_ON", Kind: settings.String, Doc: "fail on this document"},
			{Name: "MODE", Kind: settings.String, Default: "upper", Enum: []string{"upper", "title"}, Doc: "how to change case"},
		},
		New: func(v settings.Values) (steps.Step, error) {
			return stepFunc(func(_ context.Context, in steps.Data) (steps.Data, error) {
				var d steps.Data
				for _, doc := range in.Documents {
					if f := v.Str("FAIL_ON"); f != "" && doc.MD == f {
						return d, errors.New("cannot handle " + f)
					}
					doc.MD = strings.ToUpper(doc.MD)
					d.Documents = append(d.Documents, doc)
				}
				return d, nil
			}), nil
		},
	})
}

type stepFunc func(context.Context, steps.Data) (steps.Data, error)

func (f stepFunc) Run(ctx context.Context, in steps.Data) (steps.Data, error) { return f(ctx, in) }
