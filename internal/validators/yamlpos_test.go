package validators

import (
	"reflect"
	"testing"
)

func TestLineOf(t *testing.T) {
	docs, err := parseDocuments([]byte("a:\n  b:\n    - x\n    - c: 1\n  d/e: 2\n"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		pointer string
		want    int
	}{
		{"", 1},
		{"/a", 1},
		{"/a/b", 2},
		{"/a/b/1", 4},
		{"/a/b/1/c", 4},
		{"/a/d~1e", 5},
		{"/a/missing", 1}, // the deepest node that exists
		{"/a/b/9", 2},
	}
	for _, tt := range tests {
		if got := lineOf(docs[0], splitPointer(tt.pointer)); got != tt.want {
			t.Errorf("lineOf(%q) = %d, want %d", tt.pointer, got, tt.want)
		}
	}
}

func TestSchemaErrors(t *testing.T) {
	msg := "problem validating schema. Check JSON formatting: jsonschema validation failed with 'file:///s/cronjob-batch-v1.json#' - at '': validation failed   - at '/spec': missing property 'schedule'   - at '/spec/x': oneOf failed, none matched     - at '/spec/x': got string, want integer"
	got := schemaErrors(msg)
	want := []schemaError{
		{"/spec", "missing property 'schedule'"},
		{"/spec/x", "got string, want integer"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}
