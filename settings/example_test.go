package settings_test

import (
	"fmt"

	"github.com/wurzel-dev/wurzel/settings"
)

func ExampleFromEnv() {
	fields := []settings.Field{
		{Name: "BATCH_SIZE", Kind: settings.Int, Default: "100"},
		{Name: "NORMALIZE", Kind: settings.Bool, Default: "false"},
		{Name: "API_KEY", Kind: settings.Secret, Required: true},
	}
	env := []string{
		"EMBEDDINGSTEP__NORMALIZE=yes",
		"EMBEDDINGSTEP__API_KEY=sk-123",
		"BATCH_SIZE=1", // unprefixed: not read
	}
	vals, err := settings.FromEnv(env, "EMBEDDINGSTEP", fields, settings.Options{})
	fmt.Println(vals, err)

	_, err = settings.FromEnv([]string{"EMBEDDINGSTEP__BATCH_SIZE=abc", "EMBEDDINGSTEP__NORMALISE=1"},
		"EMBEDDINGSTEP", fields, settings.Options{})
	fmt.Println(err)
	// Output:
	// map[API_KEY:*** BATCH_SIZE:100 NORMALIZE:true] <nil>
	// 3 invalid settings:
	//   environment variable EMBEDDINGSTEP__API_KEY: missing required setting (want a string)
	//   environment variable EMBEDDINGSTEP__BATCH_SIZE: want an integer, got "abc"
	//   environment variable EMBEDDINGSTEP__NORMALISE: unknown setting (did you mean EMBEDDINGSTEP__NORMALIZE?)
}
