package validators

import (
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// goldenRoot holds the rendered outputs the repository commits, as
// <case>/<output path>.golden.
const goldenRoot = "../../testdata/golden"

// validatorFor returns the validator for a rendered output path (slash
// separated, without .golden), or "" for files no validator covers.
func validatorFor(p string) string {
	base, dir := path.Base(p), path.Base(path.Dir(p))
	switch {
	case base == "dvc.yaml":
		return NameDVC
	case base == ".gitlab-ci.yml":
		return NameGitLabCI
	case strings.Contains(p, ".github/workflows/") && (strings.HasSuffix(p, ".yml") || strings.HasSuffix(p, ".yaml")):
		return NameActionlint
	case dir == "argo" && strings.HasSuffix(p, ".yaml"):
		return NameArgo
	case dir == "k8s" && strings.HasSuffix(p, ".yaml"):
		return NameKubeconform
	case strings.Contains(p, "airflow/dags/") && strings.HasSuffix(p, ".py"):
		return NameAirflow
	}
	return ""
}

func TestValidatorFor(t *testing.T) {
	tests := map[string]string{
		"demo/dvc.yaml":                         NameDVC,
		"demo/.gitlab-ci.yml":                   NameGitLabCI,
		"demo/.github/workflows/demo.yml":       NameActionlint,
		"demo/argo/workflow.yaml":               NameArgo,
		"demo/k8s/cronjob.yaml":                 NameKubeconform,
		"demo/airflow/dags/demo.py":             NameAirflow,
		"demo/wurzel.env":                       "",
		"demo/argo/README.md":                   "",
		"TestRender/argo/workflow.yaml":         NameArgo,
		"demo/.github/workflows/sub/x.yml":      NameActionlint,
		"demo/airflow/dags/helpers/__init__.py": NameAirflow,
	}
	for p, want := range tests {
		if got := validatorFor(p); got != want {
			t.Errorf("validatorFor(%q) = %q, want %q", p, got, want)
		}
	}
}

// TestGoldens runs the real validator of its ecosystem on every committed
// golden output: a golden its own ecosystem rejects fails CI. Each case is
// copied to a temporary directory under its real output names first (the
// tools go by file name), and findings name the golden file.
func TestGoldens(t *testing.T) {
	cases, err := os.ReadDir(goldenRoot)
	if os.IsNotExist(err) {
		t.Skip("no golden outputs yet")
	}
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		if !c.IsDir() {
			continue
		}
		t.Run(c.Name(), func(t *testing.T) {
			caseDir := filepath.Join(goldenRoot, c.Name())
			tmp := t.TempDir()
			byValidator := map[string][]string{}
			golden := map[string]string{} // temporary path -> golden path
			err := filepath.WalkDir(caseDir, func(p string, d fs.DirEntry, err error) error {
				if err != nil || d.IsDir() || !strings.HasSuffix(p, ".golden") {
					return err
				}
				rel, err := filepath.Rel(caseDir, strings.TrimSuffix(p, ".golden"))
				if err != nil {
					return err
				}
				v := validatorFor(c.Name() + "/" + filepath.ToSlash(rel))
				if v == "" {
					return nil
				}
				dst := filepath.Join(tmp, rel)
				if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
					return err
				}
				b, err := os.ReadFile(p)
				if err != nil {
					return err
				}
				if err := os.WriteFile(dst, b, 0o644); err != nil {
					return err
				}
				byValidator[v] = append(byValidator[v], dst)
				golden[dst] = p
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			names := make([]string, 0, len(byValidator))
			for v := range byValidator {
				names = append(names, v)
			}
			sort.Strings(names)
			for _, v := range names {
				t.Run(v, func(t *testing.T) {
					Require(t, v)
					findings, err := Run(v, byValidator[v]...)
					if err != nil {
						t.Fatal(err)
					}
					for _, f := range findings {
						if g, ok := golden[f.File]; ok {
							f.File = g
						}
						t.Error(f)
					}
				})
			}
		})
	}
}
