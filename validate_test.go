package wurzel_test

import (
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wurzel-dev/wurzel/internal/validators"
)

// TestGoldenValidators runs each ecosystem's real validator on every golden file of its
// backend. Missing tools skip the test, unless WURZEL_REQUIRE_VALIDATORS=1 (as in CI): then
// they fail it. Install them with .ci/install-validators.sh.
func TestGoldenValidators(t *testing.T) {
	backends := []struct {
		validator string
		match     func(rel string) bool
	}{
		{validators.NameDVC, func(rel string) bool { return path.Base(rel) == "dvc.yaml" }},
		{validators.NameArgo, func(rel string) bool { return strings.HasPrefix(rel, "argo/") && strings.HasSuffix(rel, ".yaml") }},
		{validators.NameActionlint, func(rel string) bool { return strings.HasPrefix(rel, ".github/workflows/") }},
		{validators.NameGitLabCI, func(rel string) bool { return rel == ".gitlab-ci.yml" }},
		{validators.NameKubeconform, func(rel string) bool { return strings.HasPrefix(rel, "k8s/") && strings.HasSuffix(rel, ".yaml") }},
		{validators.NameAirflow, func(rel string) bool { return strings.HasPrefix(rel, "airflow/") && strings.HasSuffix(rel, ".py") }},
	}
	for _, b := range backends {
		t.Run(b.validator, func(t *testing.T) {
			goldens := goldenFiles(t, b.match)
			if len(goldens) == 0 {
				t.Skipf("no golden files for %s yet", b.validator)
			}
			// Validators look at file names (actionlint wants .yml, gitlab-ci-local
			// .gitlab-ci.yml): give each file its real name again.
			tmp := t.TempDir()
			var files []string
			for _, g := range goldens {
				rel := strings.TrimSuffix(strings.TrimPrefix(filepath.ToSlash(g), "testdata/golden/"), ".golden")
				dst := filepath.Join(tmp, filepath.FromSlash(rel))
				data, err := os.ReadFile(g)
				if err != nil {
					t.Fatal(err)
				}
				if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(dst, data, 0o644); err != nil {
					t.Fatal(err)
				}
				files = append(files, dst)
			}
			validators.Check(t, b.validator, files...)
		})
	}
}
