package steps

import (
	"context"
	"reflect"
	"testing"

	"github.com/wurzel-dev/wurzel/settings"
)

func TestDropDuplication(t *testing.T) {
	docs := []Document{
		{MD: "a", Keywords: "k1", URL: "u1"},
		{MD: "a", Keywords: "k2", URL: "u2", Metadata: map[string]any{"x": int64(1)}},
		{MD: "b", Keywords: "k1", URL: "u1", Metadata: map[string]any{"x": int64(1), "y": "z"}},
		{MD: "b", Keywords: "k1", URL: "u1", Metadata: map[string]any{"y": "z", "x": int64(1)}},
		{MD: "a", Keywords: "k1", URL: "u1", Metadata: map[string]any{}},
		{MD: "ak", Keywords: "1", URL: "u1"},
	}
	tests := []struct {
		env  []string
		want []int // indices of the documents kept
	}{
		{nil, []int{0, 2, 5}},
		{[]string{`DROP_BY_FIELDS=["md"]`}, []int{0, 2, 5}},
		{[]string{`DROP_BY_FIELDS=["keywords", "url"]`}, []int{0, 1, 5}},
		{[]string{`DROP_BY_FIELDS=["*"]`}, []int{0, 1, 2, 4, 5}},
		{[]string{`DROP_BY_FIELDS=["md", "keywords"]`}, []int{0, 1, 2, 5}},
		{[]string{`DROP_BY_FIELDS=["metadata"]`}, []int{0, 1, 2, 4}},
	}
	for _, tt := range tests {
		out, err := newStep(t, "DropDuplicationStep", tt.env...).Run(context.Background(), Data{Documents: docs})
		if err != nil {
			t.Fatal(err)
		}
		want := []Document{}
		for _, i := range tt.want {
			want = append(want, docs[i])
		}
		if !reflect.DeepEqual(out.Documents, want) {
			t.Errorf("%v: kept %v", tt.env, out.Documents)
		}
	}
}

func TestDropDuplicationSettingsErrors(t *testing.T) {
	tests := []struct{ value, want string }{
		{`[]`, `DROP_BY_FIELDS: want at least one field (md, keywords, url, metadata), or ["*"] for all`},
		{`["*", "md"]`, `DROP_BY_FIELDS: "*" means all fields and stands alone, got *, md`},
	}
	typ, _ := Lookup("DropDuplicationStep")
	for _, tt := range tests {
		v, err := settings.FromEnv([]string{"DROPDUPLICATIONSTEP__DROP_BY_FIELDS=" + tt.value}, "DROPDUPLICATIONSTEP", typ.Settings, settings.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := typ.New(v); err == nil || err.Error() != tt.want {
			t.Errorf("%s: got %v, want %s", tt.value, err, tt.want)
		}
	}
	// Unknown field names are caught while reading the settings.
	_, err := settings.FromEnv([]string{`DROPDUPLICATIONSTEP__DROP_BY_FIELDS=["text"]`}, "DROPDUPLICATIONSTEP", typ.Settings, settings.Options{})
	want := `environment variable DROPDUPLICATIONSTEP__DROP_BY_FIELDS: element 0: want one of "*", "md", "keywords", "url", "metadata", got "text"`
	if err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
}
