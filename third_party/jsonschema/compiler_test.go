package jsonschema

import (
	"os"
	"strings"
	"testing"
)

// compiledAtStart names a draft whose meta-schema was compiled when the tests started, after
// every init function ran ("" if none). It is taken once per test process, so that the test
// below also holds when run repeatedly (-count).
var compiledAtStart string

func TestMain(m *testing.M) {
	for _, d := range []*Draft{Draft4, Draft6, Draft7, Draft2019, Draft2020} {
		if d.sch != nil && compiledAtStart == "" {
			compiledAtStart = d.String()
		}
	}
	os.Exit(m.Run())
}

// The drafts' meta-schemas are compiled by the first NewCompiler, not at package start.
func TestDraftsCompiledOnFirstCompiler(t *testing.T) {
	if compiledAtStart != "" {
		t.Fatalf("%s: meta-schema compiled before any NewCompiler call", compiledAtStart)
	}
	c := NewCompiler()
	for _, d := range []*Draft{Draft4, Draft6, Draft7, Draft2019, Draft2020} {
		if d.sch == nil {
			t.Fatalf("%s: meta-schema not compiled by NewCompiler", d)
		}
		for name, sch := range d.allVocabs {
			if sch == nil {
				t.Fatalf("%s: vocabulary %s not compiled", d, name)
			}
		}
	}
	// A schema that its draft's meta-schema rejects still fails to compile.
	if err := c.AddResource("bad.json", map[string]any{"$schema": "https://json-schema.org/draft/2020-12/schema", "type": 1.0}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Compile("bad.json"); err == nil || !strings.Contains(err.Error(), "jsonschema validation failed") {
		t.Fatalf(`a schema with "type": 1: got %v, want a meta-schema validation error`, err)
	}
}
