// Package ci holds example CI configurations that run wurzel's review loop; the tests check
// them offline with wurzel's own schemas and, when installed, with each CI system's linter.
package ci

import (
	"os"
	"testing"

	"github.com/wurzel-dev/wurzel/internal/validators"
	"github.com/wurzel-dev/wurzel/lint"
)

// examples maps each example to the name its CI system reads it by.
var examples = map[string]string{
	"github/wurzel-review.yml":           ".github/workflows/wurzel-review.yml",
	"gitlab/wurzel-review.gitlab-ci.yml": "wurzel-review.gitlab-ci.yml",
}

// TestSchemas checks the examples against the schemas embedded in wurzel (always runs).
func TestSchemas(t *testing.T) {
	for file, name := range examples {
		t.Run(file, func(t *testing.T) {
			body, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range lint.File(name, body) {
				if f.Severity != lint.Info {
					t.Error(f)
				}
			}
		})
	}
}

// TestActionlint runs actionlint (with shellcheck) on the GitHub workflow; it is skipped
// when actionlint is not installed, unless WURZEL_REQUIRE_VALIDATORS=1.
func TestActionlint(t *testing.T) {
	validators.Check(t, validators.NameActionlint, "github/wurzel-review.yml")
}

// TestGitLabCI runs gitlab-ci-local --list on the GitLab job; it is skipped when
// gitlab-ci-local is not installed, unless WURZEL_REQUIRE_VALIDATORS=1.
func TestGitLabCI(t *testing.T) {
	validators.Check(t, validators.NameGitLabCI, "gitlab/wurzel-review.gitlab-ci.yml")
}
