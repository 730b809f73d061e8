package source

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// The Dockerfile and .ko.yaml build the same binary as Build: the same flags, linker flags
// and environment.

func repoFile(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "..", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestDockerfileBuildsLikeBuild(t *testing.T) {
	dockerfile := string(repoFile(t, "Dockerfile"))
	want := []string{
		"go build -trimpath -buildvcs=false",
		`-ldflags="` + ldflags("$VERSION", "$COMMIT", "$DATE") + `"`,
		"-o /out/wurzel ./cmd/wurzel",
		// The commit time in the format of Info.Date.
		`DATE=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%dT%H:%M:%SZ)`,
	}
	for _, e := range fixedEnv {
		want = append(want, e+" ")
	}
	for _, w := range want {
		if !strings.Contains(dockerfile, w) {
			t.Errorf("the Dockerfile lacks %q", w)
		}
	}
}

func TestKoBuildsLikeBuild(t *testing.T) {
	var ko struct {
		Builds []struct {
			Main    string   `yaml:"main"`
			Env     []string `yaml:"env"`
			Flags   []string `yaml:"flags"`
			LDFlags []string `yaml:"ldflags"`
		} `yaml:"builds"`
	}
	dec := yaml.NewDecoder(strings.NewReader(string(repoFile(t, ".ko.yaml"))))
	dec.KnownFields(false)
	if err := dec.Decode(&ko); err != nil {
		t.Fatal(err)
	}
	if len(ko.Builds) != 1 {
		t.Fatalf("want one build in .ko.yaml, got %d", len(ko.Builds))
	}
	b := ko.Builds[0]
	if b.Main != "./cmd/wurzel" {
		t.Errorf("main %q, want ./cmd/wurzel", b.Main)
	}
	if got, want := strings.Join(b.LDFlags, " "), ldflags("{{.Env.VERSION}}", "{{.Env.COMMIT}}", "{{.Env.DATE}}"); got != want {
		t.Errorf("ldflags:\n got %s\nwant %s", got, want)
	}
	if !slices.Equal(b.Flags, BuildArgs(Info{}, "x")[1:3]) {
		t.Errorf("flags %q, want %q", b.Flags, BuildArgs(Info{}, "x")[1:3])
	}
	for _, e := range fixedEnv {
		if !slices.Contains(b.Env, e) {
			t.Errorf("env %q lacks %s", b.Env, e)
		}
	}
}
