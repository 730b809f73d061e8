package schemas

import (
	"encoding/json"
	"io/fs"
	"path"
	"strings"
	"testing"

	"github.com/wurzel-dev/wurzel/third_party/jsonschema"
)

// TestCompile compiles every vendored schema: a file that no longer compiles
// (or refers to something outside FS) fails here, not in wurzel lint.
func TestCompile(t *testing.T) {
	paths := []string{DVC, GitHubWorkflow, GitLabCI, Argo}
	kinds, err := fs.Glob(FS, KubernetesDir+"/*.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range kinds {
		if path.Base(k) != "_definitions.json" {
			paths = append(paths, k)
		}
	}
	if got, want := len(paths), 7; got != want {
		t.Errorf("got %d schemas, want %d: %v", got, want, paths)
	}
	for _, p := range paths {
		t.Run(p, func(t *testing.T) {
			if _, err := Compile(p); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestCompileUnknown(t *testing.T) {
	_, err := Compile("nope.json")
	if err == nil || !strings.Contains(err.Error(), "compiling schema nope.json") {
		t.Fatalf("got %v, want an error naming nope.json", err)
	}
}

// TestValidate checks that each schema accepts a minimal valid document and
// rejects a typical mistake, so a regenerated schema that lost its teeth (or
// started rejecting valid input) is noticed.
func TestValidate(t *testing.T) {
	tests := []struct {
		name, schema, doc string
		wantErr           string // substring of the validation error; empty: valid
	}{
		{"dvc valid", DVC, `{"stages":{"a":{"cmd":"echo","deps":["x"],"outs":["y"]}}}`, ""},
		{"dvc command", DVC, `{"stages":{"a":{"command":"echo"}}}`, "missing property 'cmd'"},
		{"github valid", GitHubWorkflow, `{"on":"push","jobs":{"a":{"runs-on":"ubuntu-latest","steps":[{"run":"true"}]}}}`, ""},
		{"github typo", GitHubWorkflow, `{"on":"push","jobs":{"a":{"runs-on":"ubuntu-latest","step":[]}}}`, "additional properties 'step' not allowed"},
		{"gitlab valid", GitLabCI, `{"a":{"script":["true"],"retry":2}}`, ""},
		{"gitlab retry", GitLabCI, `{"a":{"script":["true"],"retry":7}}`, "maximum"},
		{"argo valid", Argo, `{"apiVersion":"argoproj.io/v1alpha1","kind":"Workflow","metadata":{"generateName":"a-"},"spec":{"entrypoint":"m","templates":[{"name":"m","retryStrategy":{"limit":4},"container":{"image":"x","resources":{"limits":{"cpu":1}}}}]}}`, ""},
		{"argo typo", Argo, `{"apiVersion":"argoproj.io/v1alpha1","kind":"Workflow","metadata":{"generateName":"a-"},"spec":{"entrypoint":"m","templates":[{"name":"m","containr":{"image":"x"}}]}}`, "additional properties 'containr' not allowed"},
		{"cronjob valid", KubernetesDir + "/cronjob-batch-v1.json", `{"apiVersion":"batch/v1","kind":"CronJob","metadata":{"name":"a"},"spec":{"schedule":"0 2 * * *","jobTemplate":{"spec":{"template":{"spec":{"containers":[{"name":"a","image":"x","resources":{"limits":{"cpu":1,"memory":"1Gi"}}}]}}}}}}`, ""},
		{"cronjob typo", KubernetesDir + "/cronjob-batch-v1.json", `{"apiVersion":"batch/v1","kind":"CronJob","metadata":{"name":"a"},"spec":{"schedul":"0 2 * * *","jobTemplate":{}}}`, "additional properties 'schedul' not allowed"},
		{"pvc valid", KubernetesDir + "/persistentvolumeclaim-v1.json", `{"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"a"},"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}}}}`, ""},
		{"configmap bad data", KubernetesDir + "/configmap-v1.json", `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"},"data":{"k":1}}`, "want string"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Compile(tt.schema)
			if err != nil {
				t.Fatal(err)
			}
			doc, err := jsonschema.UnmarshalJSON(strings.NewReader(tt.doc))
			if err != nil {
				t.Fatal(err)
			}
			err = s.Validate(doc)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("want valid, got %v", err)
			case tt.wantErr != "" && err == nil:
				t.Errorf("want an error containing %q, got none", tt.wantErr)
			case tt.wantErr != "" && !strings.Contains(err.Error(), tt.wantErr):
				t.Errorf("want an error containing %q, got %v", tt.wantErr, err)
			}
		})
	}
}

// TestCompact keeps the vendored files small: they are embedded in the binary.
func TestCompact(t *testing.T) {
	total := 0
	err := fs.WalkDir(FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(FS, p)
		if err != nil {
			return err
		}
		if !json.Valid(b) {
			t.Errorf("%s is not valid JSON", p)
		}
		total += len(b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if total > 512<<10 {
		t.Errorf("vendored schemas take %d bytes, more than 512 KiB: prune them (see README.md)", total)
	}
}
