package schemas

import (
	"encoding/json"
	"reflect"
	"testing"

	"go.yaml.in/yaml/v3"
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
		{"merge keys", "base: &b {x: 1, y: 2}\nc:\n  <<: *b\n  y: 3\n", map[string]any{
			"base": map[string]any{"x": json.Number("1"), "y": json.Number("2")},
			"c":    map[string]any{"x": json.Number("1"), "y": json.Number("3")},
		}},
		{"infinity is left to the schema", "a: .inf\n", map[string]any{"a": ".inf"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var doc yaml.Node
			if err := yaml.Unmarshal([]byte(tt.in), &doc); err != nil {
				t.Fatal(err)
			}
			got, err := JSONValue(&doc)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %#v, want %#v", got, tt.want)
			}
		})
	}
}
