package runtime

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wurzel-dev/wurzel/settings"
)

var baseEnv = []string{"TSTSOURCESTEP__FOLDER_PATH=./docs"}

func TestRunStepChain(t *testing.T) {
	root := t.TempDir()
	src := filepath.Join(root, "data", "source")
	rep, err := RunStep(context.Background(), Options{Step: "TstSourceStep", Output: src, Environ: baseEnv})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := readTree(t, src), "TstSource.txt=a\nb\n"; got != want {
		t.Errorf("source output:\n%s\nwant\n%s", got, want)
	}
	if rep.ItemsIn != 0 || rep.ItemsOut != 2 || len(rep.Files) != 1 || rep.Files[0].Output != "TstSource.txt" || rep.Name != "TstSourceStep" {
		t.Errorf("report %+v", rep)
	}

	up := filepath.Join(root, "data", "upper")
	for _, class := range []string{"TstUpperStep", "wurzel.steps.test:TstUpperStep", "wurzel.steps.test.TstUpperStep"} {
		rep, err = RunStep(context.Background(), Options{Step: class, Output: up, Inputs: []string{src}})
		if err != nil {
			t.Fatalf("%s: %v", class, err)
		}
		if got, want := readTree(t, up), "TstSource-TstUpper.txt=A\nB\n"; got != want {
			t.Errorf("%s: output:\n%s\nwant\n%s", class, got, want)
		}
		if rep.ItemsIn != 2 || rep.ItemsOut != 2 || rep.Files[0].Input != filepath.Join(src, "TstSource.txt") {
			t.Errorf("report %+v", rep)
		}
	}
	if got := names(t, filepath.Join(root, "data")); strings.Join(got, ",") != "source,upper" {
		t.Errorf("data/ holds %v; want no temp folders", got)
	}
}

func TestRunStepInputs(t *testing.T) {
	root := t.TempDir()
	a, b := filepath.Join(root, "a"), filepath.Join(root, "b")
	writeFiles(t, a, map[string]string{"ManualMarkdown.txt": "x\n", "Z.txt": "z\n", ".hidden": "ignored", ".gitignore": "/x"})
	writeFiles(t, b, map[string]string{"ManualMarkdown.txt": "y\n"})
	out := filepath.Join(root, "out")
	rep, err := RunStep(context.Background(), Options{Step: "TstUpperStep", Output: out, Inputs: []string{a, b}})
	if err != nil {
		t.Fatal(err)
	}
	want := "ManualMarkdown-TstUpper.2.txt=Y\n\nManualMarkdown-TstUpper.txt=X\n\nZ-TstUpper.txt=Z\n"
	if got := readTree(t, out); got != want {
		t.Errorf("output:\n%s\nwant\n%s", got, want)
	}
	var order []string
	for _, f := range rep.Files {
		order = append(order, filepath.Base(filepath.Dir(f.Input))+"/"+filepath.Base(f.Input)+">"+f.Output)
	}
	if got := strings.Join(order, " "); got != "a/ManualMarkdown.txt>ManualMarkdown-TstUpper.txt a/Z.txt>Z-TstUpper.txt b/ManualMarkdown.txt>ManualMarkdown-TstUpper.2.txt" {
		t.Errorf("call order %s", got)
	}
}

func TestRunStepSettings(t *testing.T) {
	root := t.TempDir()
	tests := []struct {
		name string
		opts Options
		want string
	}{
		{"defaults", Options{Defaults: map[string]string{"LINES": `["d"]`}}, "TstSource.txt=d\n"},
		{"environment wins", Options{Environ: []string{`TSTSOURCESTEP__LINES=["e"]`}, Defaults: map[string]string{"LINES": `["d"]`}}, "TstSource.txt=e\n"},
		{"env prefix", Options{EnvPrefix: "DOCS", Environ: []string{`DOCS__LINES=["p"]`, "DOCS__FOLDER_PATH=x"}}, "TstSource.txt=p\n"},
		{"unprefixed", Options{Unprefixed: true, Environ: []string{`LINES=["u"]`, "FOLDER_PATH=x"}}, "TstSource.txt=u\n"},
		{"allow extra", Options{AllowExtra: true, Environ: []string{`TSTSOURCESTEP__NOPE=1`}}, "TstSource.txt=a\nb\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.Step = "TstSourceStep"
			tt.opts.Output = filepath.Join(root, tt.name)
			if tt.opts.EnvPrefix == "" && !tt.opts.Unprefixed {
				tt.opts.Environ = append(tt.opts.Environ, baseEnv...)
			}
			if _, err := RunStep(context.Background(), tt.opts); err != nil {
				t.Fatal(err)
			}
			if got := readTree(t, tt.opts.Output); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestRunStepErrors(t *testing.T) {
	root := t.TempDir()
	good := filepath.Join(root, "good")
	writeFiles(t, good, map[string]string{"A.txt": "a\n"})
	nested := filepath.Join(root, "nested")
	writeFiles(t, nested, map[string]string{"sub/A.txt": "a\n"})
	csv := filepath.Join(root, "csv")
	writeFiles(t, csv, map[string]string{"A.csv": "a\n"})
	corrupt := filepath.Join(root, "corrupt")
	writeFiles(t, corrupt, map[string]string{"A.txt": "ok\n", "B.txt": "corrupt\n"})
	out := filepath.Join(root, "out")

	tests := []struct {
		name    string
		opts    Options
		want    string
		invalid bool // *InvalidError or *settings.Error: exit code 2
	}{
		{"unknown class", Options{Step: "TstUperStep", Inputs: []string{good}}, `unknown step class "TstUperStep" (did you mean TstUpperStep?); 'wurzel steps' lists the built-in steps`, true},
		{"unknown python path", Options{Step: "wurzel.steps.x:Nothing"}, `unknown step class "wurzel.steps.x:Nothing"; 'wurzel steps' lists the built-in steps`, true},
		{"no output", Options{Step: "TstSourceStep", Output: "-"}, "step TstSourceStep: no output folder (-o)", true},
		{"source with inputs", Options{Step: "TstSourceStep", Inputs: []string{good}}, "step TstSourceStep: TstSourceStep is a source step and reads no input; remove -i", true},
		{"missing inputs", Options{Step: "TstUpperStep"}, "step TstUpperStep: TstUpperStep reads test-lines; give at least one input folder with -i", true},
		{"input does not exist", Options{Step: "TstUpperStep", Inputs: []string{filepath.Join(root, "nope")}}, "step TstUpperStep: input folder " + filepath.Join(root, "nope") + " does not exist", true},
		{"input is a file", Options{Step: "TstUpperStep", Inputs: []string{filepath.Join(good, "A.txt")}}, "step TstUpperStep: input " + filepath.Join(good, "A.txt") + " is not a folder", true},
		{"input holds a folder", Options{Step: "TstUpperStep", Inputs: []string{nested}}, "step TstUpperStep: input " + filepath.Join(nested, "sub") + " is not a regular file; steps read the files of their input folders only", true},
		{"wrong contract", Options{Step: "TstUpperStep", Inputs: []string{csv}}, "step TstUpperStep: input file " + filepath.Join(csv, "A.csv") + `: TstUpperStep reads test-lines (.txt files), not ".csv" files`, true},
		{"invalid settings", Options{Step: "TstUpperStep", Inputs: []string{good}, Environ: []string{"TSTUPPERSTEP__BATCH_SIZE=abc", "TSTUPPERSTEP__FAIL_ONN=x"}},
			"step TstUpperStep: 2 invalid settings:\n  environment variable TSTUPPERSTEP__BATCH_SIZE: want an integer, got \"abc\"\n  environment variable TSTUPPERSTEP__FAIL_ONN: unknown setting (did you mean TSTUPPERSTEP__FAIL_ON?)", true},
		{"missing required setting", Options{Step: "TstSourceStep"}, "step TstSourceStep: environment variable TSTSOURCESTEP__FOLDER_PATH: missing required setting (want a path)", true},
		{"step fails", Options{Step: "TstUpperStep", Name: "upper", Inputs: []string{good}, Environ: []string{"TSTUPPERSTEP__FAIL_ON=a"}}, "step upper: processing " + filepath.Join(good, "A.txt") + ": cannot handle a", false},
		{"input does not parse", Options{Step: "TstUpperStep", Inputs: []string{corrupt}}, "step TstUpperStep: reading input " + filepath.Join(corrupt, "B.txt") + ": line 1: not a document", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			writeFiles(t, out, map[string]string{"previous.txt": "old"})
			switch tt.opts.Output {
			case "":
				tt.opts.Output = out
			case "-":
				tt.opts.Output = ""
			}
			_, err := RunStep(context.Background(), tt.opts)
			if err == nil {
				t.Fatal("no error")
			}
			if err.Error() != tt.want {
				t.Errorf("error:\n got %s\nwant %s", err, tt.want)
			}
			if got := IsInvalid(err) || settings.IsError(err); got != tt.invalid {
				t.Errorf("invalid = %v, want %v (%T)", got, tt.invalid, errors.Unwrap(err))
			}
			if got := readTree(t, out); got != "previous.txt=old" {
				t.Errorf("previous output changed: %s", got)
			}
			if got := names(t, root); len(got) != 5 {
				t.Errorf("root holds %v: a temp folder was left behind", got)
			}
		})
	}
}

func TestRunStepCancelled(t *testing.T) {
	root := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	out := filepath.Join(root, "out")
	_, err := RunStep(ctx, Options{Step: "TstSourceStep", Output: out, Environ: baseEnv})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	if got := names(t, root); len(got) != 0 {
		t.Errorf("left %v", got)
	}
}

func TestRunStepDeterministic(t *testing.T) {
	root := t.TempDir()
	env := append([]string{`TSTSOURCESTEP__LINES=["c", "a", "b", "a2"]`}, baseEnv...)
	var first string
	for i := range 5 {
		out := filepath.Join(root, "out")
		if _, err := RunStep(context.Background(), Options{Step: "TstSourceStep", Output: out, Environ: env}); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(out, "TstSource.txt"))
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = string(b)
		} else if string(b) != first {
			t.Fatalf("run %d wrote %q, first run %q", i, b, first)
		}
	}
}

func TestOutputNames(t *testing.T) {
	tests := []struct {
		class  string
		inputs []string
		want   string
	}{
		{"ManualMarkdownStep", nil, "ManualMarkdown.json"},
		{"SimpleSplitterStep", []string{"d/ManualMarkdown.json"}, "ManualMarkdown-SimpleSplitter.json"},
		{"EmbeddingStep", []string{"d/ManualMarkdown-SimpleSplitter.json"}, "ManualMarkdown-SimpleSplitter-Embedding.json"},
		{"DropDuplicationStep", []string{"a/X.json", "b/X.json", "c/X.json", "a/Y.json"}, "X-DropDuplication.json X-DropDuplication.2.json X-DropDuplication.3.json Y-DropDuplication.json"},
		{"Step", nil, "Step.json"},
		{"Custom", []string{"a/file.tar.json"}, "file.tar-Custom.json"},
	}
	for _, tt := range tests {
		got := strings.Join(outputNames(tt.class, tt.inputs, ".json"), " ")
		if got != tt.want {
			t.Errorf("%s %v: got %s, want %s", tt.class, tt.inputs, got, tt.want)
		}
	}
}
