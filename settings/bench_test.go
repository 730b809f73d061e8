package settings

import (
	"fmt"
	"testing"
)

// BenchmarkFromEnv reads a step's settings from an environment of typical size (about 100
// unrelated variables plus the step's own).
func BenchmarkFromEnv(b *testing.B) {
	env := []string{
		"STEP__FOLDER_PATH=./docs", "STEP__BATCH_SIZE=7", `STEP__DROP_BY_FIELDS=["md", "url"]`,
		`STEP={"RATIO": 0.25, "HTML": {"WIDTH": 3}}`, "STEP__API_KEY=secret",
	}
	for i := range 100 {
		env = append(env, fmt.Sprintf("UNRELATED_%d=value-%d", i, i))
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := FromEnv(env, "STEP", testFields, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
