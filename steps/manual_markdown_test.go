package steps

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/wurzel-dev/wurzel/settings"
)

// newStep builds a registered step from environment-style settings, as the runtime does.
func newStep(t *testing.T, class string, env ...string) Step {
	t.Helper()
	typ, ok := Lookup(class)
	if !ok {
		t.Fatalf("no step type %s", class)
	}
	prefix := strings.ToUpper(class)
	for i := range env {
		env[i] = prefix + "__" + env[i]
	}
	v, err := settingsFor(typ, env...)
	if err != nil {
		t.Fatal(err)
	}
	s, err := typ.New(v)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// settingsFor reads a step type's settings from environment entries under its default prefix.
func settingsFor(typ *Type, env ...string) (settings.Values, error) {
	return settings.FromEnv(env, strings.ToUpper(typ.Name), typ.Settings, settings.Options{})
}

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestManualMarkdown(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"b.md":             "# B\n\nbody\n",
		"a.de.md":          "---\nurl: https://example.org/a\nkeywords: \"bread,butter\"\ntitle: ignored\nmetadata:\n  author: Ada\n  tags: [x, y]\n  n: 3\n  when: 2024-01-02\n---\n\n\n# A\r\n\r\ntext\r\n",
		"sub/deep/c.md":    "---\nkeywords: only keywords\n---\nC",
		"sub/not-md.txt":   "ignored",
		"sub/unclosed.md":  "---\nthis is not front matter\n",
		"sub/.hidden.md":   "hidden",
		"sub/empty-fm.md":  "---\n---\nbody",
		"sub/comments.md":  "---\n# just a comment\n---\nbody",
		"sub/null-meta.md": "---\nmetadata: null\n---\nbody",
	})
	step := newStep(t, "ManualMarkdownStep", "FOLDER_PATH="+dir)
	out, err := step.Run(context.Background(), Data{})
	if err != nil {
		t.Fatal(err)
	}
	want := []Document{
		{MD: "# A\n\ntext\n", Keywords: "bread,butter", URL: "https://example.org/a",
			Metadata: map[string]any{"author": "Ada", "tags": []any{"x", "y"}, "n": int64(3), "when": "2024-01-02"}},
		{MD: "# B\n\nbody\n", Keywords: "b", URL: "ManualMarkdownStep/b.md"},
		{MD: "hidden", Keywords: "", URL: "ManualMarkdownStep/sub/.hidden.md"},
		{MD: "body", Keywords: "comments", URL: "ManualMarkdownStep/sub/comments.md"},
		{MD: "C", Keywords: "only keywords", URL: "ManualMarkdownStep/sub/deep/c.md"},
		{MD: "body", Keywords: "empty-fm", URL: "ManualMarkdownStep/sub/empty-fm.md"},
		{MD: "body", Keywords: "null-meta", URL: "ManualMarkdownStep/sub/null-meta.md"},
		{MD: "---\nthis is not front matter\n", Keywords: "unclosed", URL: "ManualMarkdownStep/sub/unclosed.md"},
	}
	if !reflect.DeepEqual(out.Documents, want) {
		for i := range max(len(want), len(out.Documents)) {
			var g, w Document
			if i < len(out.Documents) {
				g = out.Documents[i]
			}
			if i < len(want) {
				w = want[i]
			}
			if !reflect.DeepEqual(g, w) {
				t.Errorf("document %d\n got %#v\nwant %#v", i, g, w)
			}
		}
	}
}

func TestManualMarkdownErrors(t *testing.T) {
	tests := []struct {
		name    string
		files   map[string]string
		folder  string
		wantErr string // %s is the folder
	}{
		{"bad yaml", map[string]string{"x.md": "---\nurl: ok\nkeywords: [a, b\n---\nbody"}, "",
			"%s/x.md:3: front matter: did not find expected ',' or ']'"},
		{"keywords list", map[string]string{"x.md": "---\nkeywords:\n  - a\n  - b\n---\n"}, "",
			`%s/x.md:3: front matter: keywords: want a string, got a list (write keywords as one comma-separated string: "a,b")`},
		{"url number", map[string]string{"x.md": "---\n\nurl: 42\n---\n"}, "",
			"%s/x.md:3: front matter: url: want a string, got an integer (quote it)"},
		{"metadata string", map[string]string{"x.md": "---\nmetadata: hello\n---\n"}, "",
			"%s/x.md:2: front matter: metadata: want a mapping, got a string"},
		{"not a mapping", map[string]string{"x.md": "---\n- a\n---\n"}, "",
			"%s/x.md:2: front matter: want a mapping of keys (url, keywords, metadata), got a list"},
		{"duplicate key", map[string]string{"x.md": "---\nurl: a\nurl: b\n---\n"}, "",
			`%s/x.md:3: front matter: key "url" already defined at line 2`},
		{"nan metadata", map[string]string{"x.md": "---\nmetadata:\n  x: .nan\n---\n"}, "",
			"%s/x.md:3: front matter: .nan cannot be stored in a documents file (JSON has no NaN or infinity)"},
		{"invalid utf-8", map[string]string{"x.md": "ok\nbad \xff byte"}, "",
			"%s/x.md:2: not valid UTF-8 (byte 7); save the file as UTF-8"},
		{"missing folder", nil, "missing", "FOLDER_PATH %s/missing: no such file or directory"},
		{"file not folder", map[string]string{"f.md": "x"}, "f.md", "FOLDER_PATH %s/f.md: not a folder"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeFiles(t, tt.files)
			step := newStep(t, "ManualMarkdownStep", "FOLDER_PATH="+filepath.Join(dir, tt.folder))
			_, err := step.Run(context.Background(), Data{})
			want := strings.ReplaceAll(tt.wantErr, "%s", dir)
			if err == nil || err.Error() != want {
				t.Errorf("got  %v\nwant %s", err, want)
			}
		})
	}
}
