package main

import (
	"os"
	"path/filepath"
	"testing"
)

func TestSameTree(t *testing.T) {
	write := func(root string, files map[string]string) string {
		for name, body := range files {
			path := filepath.Join(root, name)
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return root
	}
	base := map[string]string{"dvc.yaml": "a", "argo/workflow.yaml": "b"}
	tests := []struct {
		name  string
		other map[string]string
		want  string
	}{
		{"same", map[string]string{"dvc.yaml": "a", "argo/workflow.yaml": "b"}, "yes"},
		{"a byte differs", map[string]string{"dvc.yaml": "a", "argo/workflow.yaml": "c"}, "no: argo/workflow.yaml differs"},
		{"missing", map[string]string{"dvc.yaml": "a"}, "no: only the baseline writes argo/workflow.yaml"},
		{"extra", map[string]string{"dvc.yaml": "a", "argo/workflow.yaml": "b", "k8s/cronjob.yaml": ""}, "no: only this checkout writes k8s/cronjob.yaml"},
	}
	for _, tt := range tests {
		dir := t.TempDir()
		a := write(filepath.Join(dir, "a"), base)
		b := write(filepath.Join(dir, "b"), tt.other)
		got, err := sameTree(a, b)
		if err != nil {
			t.Fatal(err)
		}
		if got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}
