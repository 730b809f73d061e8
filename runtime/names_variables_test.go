package runtime

import (
	"errors"
	"strings"
	"testing"

	"github.com/wurzel-dev/wurzel/settings"
)

func TestNameVariables(t *testing.T) {
	err := &settings.Error{Problems: []settings.Problem{
		{Source: "TOKEN_COUNT_MIN", Code: settings.CodeInvalid, Msg: "want less than TOKEN_COUNT_MAX (1024), got 5000"},
		{Source: "--default BATCH_SIZE", Code: settings.CodeInvalid, Msg: "want an integer"},
	}}
	got := nameVariables(err, "CHUNKS_SMALL", false).Error()
	want := "2 invalid settings:\n  environment variable CHUNKS_SMALL__TOKEN_COUNT_MIN: want less than TOKEN_COUNT_MAX (1024), got 5000\n  --default BATCH_SIZE: want an integer"
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	if got := nameVariables(err, "X", true).(*settings.Error).Problems[0].Source; got != "environment variable TOKEN_COUNT_MIN" {
		t.Errorf("unprefixed: %q", got)
	}
	plain := errors.New("other")
	if nameVariables(plain, "X", false) != plain {
		t.Error("other errors must pass through")
	}
}

func TestOutputNamesStayShortOnLongChains(t *testing.T) {
	stem := "ManualMarkdown"
	for i := 0; i < 40; i++ { // a chain of 40 splitters
		stem = outputNames("SimpleSplitterStep", []string{stem + ".json"}, ".json")[0]
		stem = stem[:len(stem)-len(".json")]
	}
	if len(stem)+len(".json") > 200 {
		t.Fatalf("name of %d bytes: %s", len(stem), stem)
	}
	if !strings.HasSuffix(stem, "-SimpleSplitter-SimpleSplitter") {
		t.Errorf("the newest history is lost: %s", stem)
	}
	again := "ManualMarkdown"
	for i := 0; i < 40; i++ {
		again = outputNames("SimpleSplitterStep", []string{again + ".json"}, ".json")[0]
		again = again[:len(again)-len(".json")]
	}
	if again != stem {
		t.Error("names are not deterministic")
	}
}
