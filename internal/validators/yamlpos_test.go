package validators

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestJSONValue(t *testing.T) {
	tests := []struct {
		name, in string
		want     any
	}{
		{"scalars", "a: 1\nb: 1.5\nc: true\nd: null\ne: text\nf: 2024-01-01\ng: '1'\n", map[string]any{
			"a": json.Number("1"), "b": json.Number("1.5"), "c": true, "d": nil, "e": "text", "f": "2024-01-01", "g": "1",
		}},
		// yaml.v3 reads YAML 1.2 booleans but YAML 1.1 octal; either way 0755 is a number.
		{"yaml 1.1 words stay strings", "a: yes\nb: on\nc: 0755\n", map[string]any{"a": "yes", "b": "on", "c": json.Number("493")}},
		{"non-string keys become strings", "1: a\ntrue: b\n", map[string]any{"1": "a", "true": "b"}},
		{"anchors", "a: &x [1, 2]\nb: *x\n", map[string]any{
			"a": []any{json.Number("1"), json.Number("2")}, "b": []any{json.Number("1"), json.Number("2")},
		}},
		{"infinity is left to the schema", "a: .inf\n", map[string]any{"a": ".inf"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			docs, err := parseDocuments([]byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			got, err := jsonValue(docs[0])
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %#v, want %#v", got, tt.want)
			}
		})
	}
}

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
