package values_test

import (
	"fmt"

	"github.com/wurzel-dev/wurzel/values"
)

func ExampleMerge() {
	defaults := values.Values{
		"argo": map[string]any{
			"namespace":    "argo-workflows",
			"nodeSelector": map[string]any{"kubernetes.io/arch": "amd64"},
			"schedules":    []any{"0 4 * * *", "0 16 * * *"},
		},
	}
	prod := values.Values{
		"argo": map[string]any{
			"namespace":    "prod",
			"nodeSelector": nil,                // null deletes the default
			"schedules":    []any{"0 2 * * *"}, // lists are replaced, not appended
		},
	}
	merged := values.Merge(defaults, prod)
	fmt.Println(merged["argo"])
	// Output: map[namespace:prod schedules:[0 2 * * *]]
}
