package gen

import (
	"bytes"
	"fmt"
	"testing"

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
