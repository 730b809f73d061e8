package escape

import (
	"os/exec"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

var hostile = []string{
	"", "plain", "with space", "it's", `"double"`, "$(id)", "`id`", "${HOME}", "~", "*", "a;b", "a|b", "a&b",
	"x'; rm -rf / #", "line\nbreak", "tab\tsep", "-rf", "--help", "=x", "yes", "no", "on", "off", "0755", "1e3",
	"<<", "=", "null", "~", "2001-12-14", "{{workflow.uid}}", "${{ secrets.X }}", "{% raw %}", "\\", "\u2028", "ümlaut",
	"#comment", "nel\u0085x", "bom\ufeffx", "del\x7fx", "key: value", "- item", "[a, b]", "!!python/object", "&anchor", "*alias", "|", ">", "@at", "%pct",
}

func TestShellRoundTrip(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	for _, s := range hostile {
		q, err := Shell(s)
		if err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		out, err := exec.Command(sh, "-c", `printf '%s' `+q).Output()
		if err != nil {
			t.Fatalf("%q quoted as %s: %v", s, q, err)
		}
		if string(out) != s {
			t.Errorf("%q quoted as %s came back as %q", s, q, out)
		}
	}
	if _, err := Shell("a\x00b"); err != ErrNUL {
		t.Errorf("NUL: got %v", err)
	}
}

func TestShellKeepsPlainWordsPlain(t *testing.T) {
	for in, want := range map[string]string{
		"data/splitter":                 "data/splitter",
		"SimpleSplitterStep":            "SimpleSplitterStep",
		"BATCH_SIZE=100":                "BATCH_SIZE=100",
		"a b":                           "'a b'",
		"it's":                          `'it'"'"'s'`,
		"":                              "''",
		"wurzel.steps.x:SimpleSplitter": "wurzel.steps.x:SimpleSplitter",
	} {
		if got, _ := Shell(in); got != want {
			t.Errorf("Shell(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestYAMLRoundTrip(t *testing.T) {
	for _, s := range hostile {
		q, err := YAML(s)
		if err != nil {
			t.Fatal(err)
		}
		var got any
		if err := yaml.Unmarshal([]byte("k: "+q+"\n"), &got); err != nil {
			t.Fatalf("%q as %s: %v", s, q, err)
		}
		if v := got.(map[string]any)["k"]; v != s {
			t.Errorf("%q as %s read back as %#v", s, q, v)
		}
	}
}

func TestPythonRoundTrip(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("no python3")
	}
	var prog strings.Builder
	prog.WriteString("import sys\nvals = [\n")
	for _, s := range hostile {
		q, _ := Python(s)
		prog.WriteString("  " + q + ",\n")
	}
	prog.WriteString("]\nsys.stdout.write('\\x00'.join(vals))\n")
	out, err := exec.Command(py, "-c", prog.String()).Output()
	if err != nil {
		t.Fatalf("python: %v", err)
	}
	if got := strings.Split(string(out), "\x00"); strings.Join(got, "\x00") != strings.Join(hostile, "\x00") {
		t.Errorf("python read back %q", got)
	}
}

func TestYAMLEscapesWhatYAML11ReadersChange(t *testing.T) {
	for in, want := range map[string]string{"a\u0085b": `"a\u0085b"`, "a\ufeffb": `"a\uFEFFb"`, "a\x7fb": `"a\u007Fb"`} {
		if got, _ := YAML(in); got != want {
			t.Errorf("YAML(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestShellJoinQuotesAssignmentsInCommandPosition(t *testing.T) {
	got, _ := ShellJoin([]string{"A=B", "--default", "X=1"})
	if want := "'A=B' --default X=1"; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestFindMarker(t *testing.T) {
	if m := FindMarker("a ${{ x }}", GitHub); m != "${{" {
		t.Errorf("got %q", m)
	}
	if m := FindMarker("{% if %}", Jinja); m != "{%" {
		t.Errorf("got %q", m)
	}
	if m := FindMarker("plain {x}", Argo); m != "" {
		t.Errorf("got %q", m)
	}
}

func FuzzShell(f *testing.F) {
	for _, s := range hostile {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := Shell(s)
		if strings.IndexByte(s, 0) >= 0 {
			if err == nil {
				t.Fatal("NUL accepted")
			}
			return
		}
		// Without running a shell: the quoted form must be one word that a POSIX
		// single-quote parser turns back into s.
		if got, ok := unquoteSingle(q); !ok || got != s {
			t.Fatalf("%q quoted as %s", s, q)
		}
	})
}

// unquoteSingle parses a word made of plain safe characters, '...' runs and "'" runs.
func unquoteSingle(w string) (string, bool) {
	var b strings.Builder
	for i := 0; i < len(w); {
		switch w[i] {
		case '\'':
			j := strings.IndexByte(w[i+1:], '\'')
			if j < 0 {
				return "", false
			}
			b.WriteString(w[i+1 : i+1+j])
			i += j + 2
		case '"':
			if !strings.HasPrefix(w[i:], `"'"`) {
				return "", false
			}
			b.WriteByte('\'')
			i += 3
		default:
			if !shellSafe("x" + w[i:i+1]) { // any safe byte, '=' included when not first
				return "", false
			}
			b.WriteByte(w[i])
			i++
		}
	}
	return b.String(), true
}

func FuzzYAML(f *testing.F) {
	for _, s := range hostile {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := YAML(s)
		if err != nil {
			return // invalid UTF-8 is rejected
		}
		var got map[string]any
		if err := yaml.Unmarshal([]byte("k: "+q+"\n"), &got); err != nil {
			t.Fatalf("%q as %s: %v", s, q, err)
		}
		if got["k"] != s {
			t.Fatalf("%q as %s read back as %#v", s, q, got["k"])
		}
	})
}

func TestYAMLValue(t *testing.T) {
	for in, want := range map[string]string{
		"data/source":            "data/source",
		"wurzel run X -o data/a": "wurzel run X -o data/a",
		"yes":                    "'yes'",
		"0755":                   "'0755'",
		"1e3":                    "'1e3'",
		"<<":                     "'<<'",
		"=":                      "'='",
		"a: b":                   "'a: b'",
		"it's":                   "'it''s'",
		"two\nlines":             `"two\nlines"`,
		"":                       "''",
		"x #c":                   "'x #c'",
		". ./wurzel.env && go":   "'. ./wurzel.env && go'",
	} {
		if got, _ := YAMLValue(in); got != want {
			t.Errorf("YAMLValue(%q) = %s, want %s", in, got, want)
		}
	}
}

func FuzzYAMLValue(f *testing.F) {
	for _, s := range hostile {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := YAMLValue(s)
		if err != nil {
			return
		}
		var got map[string]any
		if err := yaml.Unmarshal([]byte("k: "+q+"\n"), &got); err != nil {
			t.Fatalf("%q as %s: %v", s, q, err)
		}
		if got["k"] != s {
			t.Fatalf("%q as %s read back as %#v", s, q, got["k"])
		}
	})
}
