package gen

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/wurzel-dev/wurzel/pipeline"
)

// TestPipelineIsValid loads every shape at a few sizes: a generated pipeline is one
// wurzel accepts, with the number of steps asked for.
func TestPipelineIsValid(t *testing.T) {
	for _, shape := range Shapes {
		for _, n := range []int{1, 2, 3, 10, 100, 1000} {
			for _, noop := range []bool{false, true} {
				t.Run(fmt.Sprintf("%s/%d/noop=%v", shape, n, noop), func(t *testing.T) {
					o := Options{Steps: n, Shape: shape, Seed: 1, NoOp: noop, Schedule: "0 3 * * *"}
					data := Pipeline(o)
					p, err := pipeline.Parse(data, "pipeline.yaml")
					if err != nil {
						t.Fatal(err)
					}
					if len(p.Spec.Steps) != n {
						t.Fatalf("%d steps, want %d", len(p.Spec.Steps), n)
					}
					if !bytes.Equal(data, Pipeline(o)) {
						t.Fatal("two runs with the same options differ")
					}
				})
			}
		}
	}
}

// TestCorpus writes a small corpus twice: the same files, valid UTF-8, about the size asked.
func TestCorpus(t *testing.T) {
	var sums [2]string
	for i := range sums {
		dir := t.TempDir()
		n, size, err := Corpus(dir, CorpusOptions{Bytes: 300000, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		if n < 10 || size < 300000 || size > 330000 {
			t.Fatalf("%d files, %d bytes", n, size)
		}
		var all strings.Builder
		err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := os.ReadFile(p)
			if !utf8.Valid(data) {
				t.Errorf("%s is not valid UTF-8", p)
			}
			rel, _ := filepath.Rel(dir, p)
			fmt.Fprintf(&all, "%s %x\n", rel, sha256.Sum256(data))
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		sums[i] = all.String()
	}
	if sums[0] != sums[1] {
		t.Fatal("two corpora with the same seed differ")
	}
}
