package runtime

import (
	"reflect"
	"testing"

	"github.com/wurzel-dev/wurzel/steps"
)

func TestSortData(t *testing.T) {
	docs := []steps.Document{
		{MD: "b", URL: "2"},
		{MD: "x", URL: "1", Metadata: map[string]any{"k": 2}},
		{MD: "a", URL: "2"},
		{MD: "x", URL: "1", Metadata: map[string]any{"k": 1}},
	}
	var first []steps.Document
	// Every input order gives the same output order.
	for _, perm := range [][]int{{0, 1, 2, 3}, {3, 2, 1, 0}, {1, 3, 0, 2}, {2, 0, 3, 1}} {
		d := steps.Data{}
		for _, i := range perm {
			d.Documents = append(d.Documents, docs[i])
		}
		sortData(&d)
		if first == nil {
			first = d.Documents
			continue
		}
		if !reflect.DeepEqual(d.Documents, first) {
			t.Fatalf("order %v gave %v, want %v", perm, d.Documents, first)
		}
	}
	var got []string
	for _, d := range first {
		got = append(got, d.URL+d.MD)
	}
	if want := []string{"1x", "1x", "2a", "2b"}; !reflect.DeepEqual(got, want) {
		t.Errorf("order %v, want %v", got, want)
	}
}
