package semdiff

import (
	"strings"
	"testing"
)

// lines formats changes as WriteText shows them, without indentation.
func lines(changes []Change) []string {
	var out []string
	for _, c := range changes {
		for _, l := range changeLines(c) {
			out = append(out, l.text)
		}
	}
	return out
}

func TestYAML(t *testing.T) {
	tests := []struct {
		name     string
		old, new string
		want     []string
	}{
		{
			name: "key order, quoting, comments and flow style do not count",
			old:  "a: 1\nb: 'x'\nc: [1, 2]\n",
			new:  "# comment\nc:\n  - 1\n  - 2\nb: \"x\" # also\na: 0x1\n",
		},
		{
			name: "a changed field names its path",
			old:  "spec:\n  templates:\n    - {name: a}\n    - {name: b}\n    - name: c\n      container: {image: a}\n",
			new:  "spec:\n  templates:\n    - {name: a}\n    - {name: b}\n    - name: c\n      container: {image: b}\n",
			want: []string{"~ spec.templates[2].container.image: a → b"},
		},
		{
			name: "added and removed keys",
			old:  "metadata:\n  name: x\n  labels: {team: data}\n",
			new:  "metadata:\n  name: x\n  namespace: prod\n",
			want: []string{"+ metadata.namespace: prod", "- metadata.labels: {team: data}"},
		},
		{
			name: "a type change shows the quotes",
			old:  "limit: 256\n",
			new:  "limit: \"256\"\n",
			want: []string{`~ limit: 256 → "256"`},
		},
		{
			name: "an item inserted into a list is one addition",
			old:  "args: [run, -o, out]\n",
			new:  "args: [run, --verbose, -o, out]\n",
			want: []string{"+ args[1]: --verbose"},
		},
		{
			name: "named items are matched by name",
			old:  "env:\n  - {name: A, value: '1'}\n  - {name: B, value: '2'}\n",
			new:  "env:\n  - {name: B, value: '3'}\n  - {name: A, value: '1'}\n  - {name: C, value: x}\n",
			want: []string{`~ env[0].value: "2" → "3"`, "+ env[2]: {name: C, value: x}", "~ env: the same items in another order"},
		},
		{
			name: "secrets are masked, references are not",
			old:  "env:\n  - {name: API_KEY, value: sk-Abc123Def456Ghi789Jkl0}\n  - {name: TOKEN, value: '${{ secrets.A }}'}\n",
			new:  "env:\n  - {name: API_KEY, value: sk-Zyx987Wvu654Tsr321Qpo0}\n  - {name: TOKEN, value: '${{ secrets.B }}'}\n",
			want: []string{"~ env[0].value: *** → ***", "~ env[1].value: ${{ secrets.A }} → ${{ secrets.B }}"},
		},
		{
			name: "GitLab variables go by their name",
			old:  "variables:\n  DB_PASSWORD: {value: s3cr3t-P@ssw0rd, expand: false}\n",
			new:  "variables:\n  DB_PASSWORD: {value: n3w-s3cr3t-P@ss, expand: false}\n",
			want: []string{"~ variables.DB_PASSWORD.value: *** → ***"},
		},
		{
			name: "aliases are their values",
			old:  "base: &b {cpu: 1}\nuse: *b\n",
			new:  "base: {cpu: 1}\nuse: {cpu: 1}\n",
		},
		{
			name: "keys moved into a new mapping",
			old:  "kind: Workflow\nspec:\n  entrypoint: main\n  templates: [{name: main}]\n",
			new:  "kind: CronWorkflow\nspec:\n  schedules: ['0 4 * * *']\n  workflowSpec:\n    entrypoint: main\n    templates: [{name: main, retries: 2}]\n",
			want: []string{
				"~ kind: Workflow → CronWorkflow",
				"+ spec.schedules: [0 4 * * *]",
				"> spec.entrypoint moved to spec.workflowSpec.entrypoint",
				"> spec.templates moved to spec.workflowSpec.templates",
				"+ spec.workflowSpec.templates[0].retries: 2",
			},
		},
		{
			name: "multi-line text gets a line diff",
			old:  "run: |\n  echo a\n  echo b\n",
			new:  "run: |\n  echo a\n  echo c\n",
			want: []string{"~ run: (text)", "      @@ -1,2 +1,2 @@", "       echo a", "      -echo b", "      +echo c"},
		},
		{
			name: "a scalar replaced by a list",
			old:  "runs-on: ubuntu-latest\n",
			new:  "runs-on: [self-hosted, linux]\n",
			want: []string{"~ runs-on: ubuntu-latest → [self-hosted, linux]"},
		},
		{
			name: "Kubernetes documents are matched by kind and name",
			old:  "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {x: '1'}\n---\napiVersion: batch/v1\nkind: CronJob\nmetadata: {name: a}\nspec: {schedule: '0 1 * * *'}\n",
			new:  "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: a}\nspec: {schedule: '0 2 * * *'}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {x: '1'}\n",
			want: []string{"~ [CronJob/a] spec.schedule: 0 1 * * * → 0 2 * * *"},
		},
		{
			name: "a document added to a stream",
			old:  "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n",
			new:  "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data}\n",
			want: []string{"+ [PersistentVolumeClaim/data]:", "+     apiVersion: v1", "+     kind: PersistentVolumeClaim", "+     metadata:", "+       name: data"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			changes, err := YAML([]byte(tt.old), []byte(tt.new))
			if err != nil {
				t.Fatal(err)
			}
			got := lines(changes)
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestYAMLInvalid(t *testing.T) {
	_, err := YAML([]byte("a: [1\n"), []byte("a: 1\n"))
	if err == nil || !strings.HasPrefix(err.Error(), "old file: ") {
		t.Fatalf("got %v, want an error about the old file", err)
	}
}

func TestPath(t *testing.T) {
	p := Path{"metadata", "annotations", "sidecar.istio.io/inject"}
	if got, want := p.String(), `metadata.annotations["sidecar.istio.io/inject"]`; got != want {
		t.Errorf("String() = %s, want %s", got, want)
	}
	if got, want := p.Pointer(), "/metadata/annotations/sidecar.istio.io~1inject"; got != want {
		t.Errorf("Pointer() = %s, want %s", got, want)
	}
	q := Path{"spec", "templates", 2, "runs-on", "a~b"}
	if got, want := q.String(), `spec.templates[2].runs-on["a~b"]`; got != want {
		t.Errorf("String() = %s, want %s", got, want)
	}
	if got, want := q.Pointer(), "/spec/templates/2/runs-on/a~0b"; got != want {
		t.Errorf("Pointer() = %s, want %s", got, want)
	}
	if got := (Path{}).String(); got != "(document)" {
		t.Errorf("empty path: %s", got)
	}
}
