package settings

import (
	"reflect"
	"testing"
)

func TestLeaves(t *testing.T) {
	fields := []Field{
		{Name: "A", Kind: Int, Default: "1"},
		{Name: "S", Kind: Struct, Fields: []Field{{Name: "X", Kind: String, Required: true}, {Name: "Y", Kind: Bool}}},
		{Name: "B", Kind: Path, Required: true},
		{Name: "K", Kind: Secret, Default: "s3cret"},
	}
	var got []string
	for _, l := range RequiredFirst(Leaves(fields)) {
		got = append(got, l.Var("P")+"="+DisplayDefault(l.Field))
	}
	want := []string{"P__S__X=", "P__B=", "P__A=1", "P__S__Y=", "P__K=***"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := (Leaf{Path: "A"}).Var(""); got != "A" {
		t.Errorf("unprefixed Var = %q", got)
	}
}

func TestTypeName(t *testing.T) {
	tests := []struct {
		f    Field
		want string
	}{
		{Field{Kind: Int}, "int"},
		{Field{Kind: List}, "list[string]"},
		{Field{Kind: List, Elem: Float}, "list[float]"},
		{Field{Kind: Map, Elem: Bool}, "map[string]bool"},
		{Field{Kind: Secret}, "secret"},
	}
	for _, tt := range tests {
		if got := tt.f.TypeName(); got != tt.want {
			t.Errorf("%v: got %q, want %q", tt.f, got, tt.want)
		}
	}
}
