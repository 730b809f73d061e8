package semdiff

import (
	"bytes"
	"os"
	"testing"
)

// BenchmarkYAML compares the largest golden Argo workflow with a copy that differs in one
// field of every template.
func BenchmarkYAML(b *testing.B) {
	old, err := os.ReadFile("../testdata/golden/argo-python-full/argo/workflow.yaml.golden")
	if err != nil {
		b.Skip(err)
	}
	new := bytes.ReplaceAll(old, []byte("memory: "), []byte("memory: x"))
	b.SetBytes(int64(len(old)))
	for b.Loop() {
		if _, err := YAML(old, new); err != nil {
			b.Fatal(err)
		}
	}
}
