package yamlx

import (
	"strings"
	"testing"
)

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"duplicate key", "a: 1\nb: 2\na: 3\n", `f.yaml:3:1: mapping key "a" already defined at line 1`},
		{"two documents", "a: 1\n---\nb: 2\n", "f.yaml:2:1: file holds 2 YAML documents; expected one (remove the '---' separators or split the file)"},
		{"top level list", "- a\n- b\n", "f.yaml:1:1: top level must be a mapping of keys to values, not a list"},
		{"top level scalar", "just a string\n", "f.yaml:1:1: top level must be a mapping of keys to values, not a string"},
		{"int key", "1: a\n", `f.yaml:1:1: key 1 is an integer: keys must be strings (quote it: "1")`},
		{"bool key", "a:\n  true: b\n", `f.yaml:2:3: key true is a boolean: keys must be strings (quote it: "true")`},
		{"python tag", "x: !!python/object:os.system id\n", "f.yaml:1:4: tag !!python/object:os.system is not allowed; only plain YAML values are (remove the tag or quote the value)"},
		{"binary tag", "x: !!binary aGVsbG8=\n", "f.yaml:1:4: tag !!binary is not allowed; only plain YAML values are (remove the tag or quote the value)"},
		{"local tag", "x: !secret y\n", "f.yaml:1:4: tag !secret is not allowed; only plain YAML values are (remove the tag or quote the value)"},
		{"null key", "null: 1\n", `f.yaml:1:1: key null is null: keys must be strings (quote it: "null")`},
		{"syntax", "a: [1, 2\n", "f.yaml:1: did not find expected ',' or ']'"},
		{"unknown alias", "a: *nope\n", "f.yaml: unknown anchor 'nope' referenced"},
		{"bad merge", "a: &x 1\nb:\n  <<: *x\n", "f.yaml:3:7: merge key (<<) takes a mapping or a list of mappings"},
		{"too deep", "a: " + strings.Repeat("[", 70) + strings.Repeat("]", 70) + "\n", "f.yaml:1:68: nesting deeper than 64 levels"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.in), "f.yaml", DefaultLimits)
			if err == nil {
				t.Fatalf("no error, want %q", tt.want)
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestAliasBomb(t *testing.T) {
	var b strings.Builder
	b.WriteString("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < 10; i++ {
		prev := "*a" + string(rune('0'+i-1))
		b.WriteString("a" + string(rune('0'+i)) + ": &a" + string(rune('0'+i)) + " [" + strings.Repeat(prev+", ", 9) + prev + "]\n")
	}
	_, err := Parse([]byte(b.String()), "bomb.yaml", DefaultLimits)
	if err == nil || !strings.Contains(err.Error(), "expands to more than") {
		t.Fatalf("got %v, want an expansion error", err)
	}
}

func TestSizeLimit(t *testing.T) {
	_, err := Parse([]byte("a: 1234567890\n"), "f.yaml", Limits{MaxBytes: 5, MaxDepth: 10, MaxNodes: 10})
	if got, want := err.Error(), "f.yaml: file is larger than 5 bytes"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestValue(t *testing.T) {
	in := `
empty: {}
s: hello
quoted: "0755"
octal: 0755
int: 100
float: 1.10
bool: true
yes: yes
date: 2001-12-14
nothing: ~
list: [a, 1]
base: &base {x: 1, y: 2}
merged:
  <<: *base
  y: 3
`
	n, err := Parse([]byte(in), "f.yaml", DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	v, err := Value("f.yaml", n)
	if err != nil {
		t.Fatal(err)
	}
	m := v.(map[string]any)
	checks := map[string]any{
		"s": "hello", "quoted": "0755", "octal": int64(493), "int": int64(100), "float": 1.1,
		"bool": true, "yes": "yes", "date": "2001-12-14", "nothing": nil,
	}
	for k, want := range checks {
		if got := m[k]; got != want {
			t.Errorf("%s: got %#v, want %#v", k, got, want)
		}
	}
	merged := m["merged"].(map[string]any)
	if merged["x"] != int64(1) || merged["y"] != int64(3) {
		t.Errorf("merged: got %#v, want x=1 y=3", merged)
	}
}

func TestEmptyFile(t *testing.T) {
	for _, in := range []string{"", "# only a comment\n", "~\n", "\xef\xbb\xbfa: 1\n"} {
		if _, err := Parse([]byte(in), "f.yaml", DefaultLimits); err != nil {
			t.Errorf("%q: %v", in, err)
		}
	}
}
