package pipeline

import (
	"github.com/wurzel-dev/wurzel/settings"
	"github.com/wurzel-dev/wurzel/steps"
)

// Test-only step types; their names cannot collide with the built-in ones.
func init() {
	steps.Register(&steps.Type{Name: "TstSourceStep", Output: steps.Documents,
		Settings: []settings.Field{{Name: "FOLDER_PATH", Kind: settings.Path, Required: true}}})
	steps.Register(&steps.Type{Name: "TstSplitStep", Input: steps.Documents, Output: steps.Documents,
		Settings: []settings.Field{
			{Name: "BATCH_SIZE", Kind: settings.Int, Default: "100"},
			{Name: "TOKEN_COUNT_MAX", Kind: settings.Int, Default: "1024"},
			{Name: "DROP_BY_FIELDS", Kind: settings.List, Default: `["md"]`},
		}})
	steps.Register(&steps.Type{Name: "TstEmbedStep", Input: steps.Documents, Output: steps.Embeddings,
		Settings: []settings.Field{
			{Name: "API", Kind: settings.URL, Required: true},
			{Name: "API_KEY", Kind: settings.Secret},
		}})
}

const header = "apiVersion: wurzel.dev/v1alpha1\nkind: Pipeline\nmetadata:\n  name: demo\n"
