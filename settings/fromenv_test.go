package settings

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"reflect"
	"strings"
	"testing"
	"time"
)

// canary is a secret value that must never appear in any output.
const canary = "sk-CANARY-5ecr3t"

var testFields = []Field{
	{Name: "NAME", Kind: String, Default: "wurzel", Doc: "a name"},
	{Name: "BATCH_SIZE", Kind: Int, Default: "100", Min: Ptr(1)},
	{Name: "RATIO", Kind: Float, Default: "0.5"},
	{Name: "NORMALIZE", Kind: Bool, Default: "false"},
	{Name: "TIMEOUT", Kind: Duration, Default: "30s"},
	{Name: "FOLDER_PATH", Kind: Path, Required: true},
	{Name: "API", Kind: URL, Default: "https://example.com/v1"},
	{Name: "DROP_BY_FIELDS", Kind: List, Default: `["md"]`},
	{Name: "SIZES", Kind: List, Elem: Int, Max: Ptr(10)},
	{Name: "PREFIX_MAP", Kind: Map, Default: `{"e5-": "query: "}`},
	{Name: "API_KEY", Kind: Secret},
	{Name: "DISTANCE", Kind: String, Enum: []string{"Cosine", "Dot"}, Default: "Dot"},
	{Name: "HTML", Kind: Struct, Fields: []Field{
		{Name: "WIDTH", Kind: Int, Default: "80"},
		{Name: "TOKEN", Kind: Secret},
	}},
}

func TestFromEnvValues(t *testing.T) {
	base := []string{"STEP__FOLDER_PATH=./docs"}
	tests := []struct {
		name string
		env  []string
		opts Options
		want Values // only these keys are compared
	}{
		{
			name: "defaults",
			want: Values{
				"NAME": "wurzel", "BATCH_SIZE": int64(100), "RATIO": 0.5, "NORMALIZE": false,
				"TIMEOUT": 30 * time.Second, "FOLDER_PATH": "./docs", "API": "https://example.com/v1",
				"DROP_BY_FIELDS": []any{"md"}, "PREFIX_MAP": map[string]any{"e5-": "query: "},
				"API_KEY": SecretString(""), "DISTANCE": "Dot", "HTML": Values{"WIDTH": int64(80), "TOKEN": SecretString("")},
			},
		},
		{name: "optional without default is absent", want: Values{}},
		{name: "int", env: []string{"STEP__BATCH_SIZE=7"}, want: Values{"BATCH_SIZE": int64(7)}},
		{name: "int with sign", env: []string{"STEP__BATCH_SIZE=+7"}, want: Values{"BATCH_SIZE": int64(7)}},
		{name: "float", env: []string{"STEP__RATIO=.25"}, want: Values{"RATIO": 0.25}},
		{name: "float exponent", env: []string{"STEP__RATIO=1e-3"}, want: Values{"RATIO": 0.001}},
		{name: "bool yes", env: []string{"STEP__NORMALIZE=yes"}, want: Values{"NORMALIZE": true}},
		{name: "bool tRuE", env: []string{"STEP__NORMALIZE=tRuE"}, want: Values{"NORMALIZE": true}},
		{name: "bool on", env: []string{"STEP__NORMALIZE=on"}, want: Values{"NORMALIZE": true}},
		{name: "bool 0", env: []string{"STEP__NORMALIZE=0"}, want: Values{"NORMALIZE": false}},
		{name: "bool N", env: []string{"STEP__NORMALIZE=N"}, want: Values{"NORMALIZE": false}},
		{name: "duration go syntax", env: []string{"STEP__TIMEOUT=1m30s"}, want: Values{"TIMEOUT": 90 * time.Second}},
		{name: "duration seconds", env: []string{"STEP__TIMEOUT=61"}, want: Values{"TIMEOUT": 61 * time.Second}},
		{name: "duration fractional seconds", env: []string{"STEP__TIMEOUT=1.5"}, want: Values{"TIMEOUT": 1500 * time.Millisecond}},
		{name: "url", env: []string{"STEP__API=http://localhost:8080/embed"}, want: Values{"API": "http://localhost:8080/embed"}},
		{name: "list", env: []string{`STEP__DROP_BY_FIELDS=["md", "url"]`}, want: Values{"DROP_BY_FIELDS": []any{"md", "url"}}},
		{name: "list of ints", env: []string{`STEP__SIZES=[1, 2]`}, want: Values{"SIZES": []any{int64(1), int64(2)}}},
		{name: "map", env: []string{`STEP__PREFIX_MAP={}`}, want: Values{"PREFIX_MAP": map[string]any{}}},
		{name: "secret trims one newline", env: []string{"STEP__API_KEY=abc\n\n"}, want: Values{"API_KEY": SecretString("abc\n")}},
		{name: "string keeps newlines", env: []string{"STEP__NAME=a\n"}, want: Values{"NAME": "a\n"}},
		{name: "empty string is a value", env: []string{"STEP__NAME="}, want: Values{"NAME": ""}},
		{name: "enum", env: []string{"STEP__DISTANCE=Cosine"}, want: Values{"DISTANCE": "Cosine"}},
		{name: "nested variable", env: []string{"STEP__HTML__WIDTH=5"}, want: Values{"HTML": Values{"WIDTH": int64(5), "TOKEN": SecretString("")}}},
		{
			name: "nested JSON object",
			env:  []string{`STEP__HTML={"WIDTH": 7, "TOKEN": "x"}`},
			want: Values{"HTML": Values{"WIDTH": int64(7), "TOKEN": SecretString("x")}},
		},
		{
			name: "nested variable wins over nested object",
			env:  []string{`STEP__HTML={"WIDTH": 7}`, "STEP__HTML__WIDTH=8"},
			want: Values{"HTML": Values{"WIDTH": int64(8), "TOKEN": SecretString("")}},
		},
		{
			name: "nested object wins over whole-step object",
			env:  []string{`STEP={"HTML": {"WIDTH": 9, "TOKEN": "t"}}`, `STEP__HTML={"WIDTH": 7}`},
			want: Values{"HTML": Values{"WIDTH": int64(7), "TOKEN": SecretString("t")}},
		},
		{
			name: "whole-step object",
			env:  []string{`STEP={"BATCH_SIZE": 6, "NORMALIZE": true, "RATIO": 2, "TIMEOUT": 5, "DROP_BY_FIELDS": ["a"], "NAME": "n"}`},
			want: Values{"BATCH_SIZE": int64(6), "NORMALIZE": true, "RATIO": 2.0, "TIMEOUT": 5 * time.Second, "DROP_BY_FIELDS": []any{"a"}, "NAME": "n"},
		},
		{
			name: "whole-step object with strings",
			env:  []string{`STEP={"BATCH_SIZE": "6", "NORMALIZE": "yes", "TIMEOUT": "2m"}`},
			want: Values{"BATCH_SIZE": int64(6), "NORMALIZE": true, "TIMEOUT": 2 * time.Minute},
		},
		{
			name: "explicit variable wins over whole-step object",
			env:  []string{`STEP={"BATCH_SIZE": 6}`, "STEP__BATCH_SIZE=7"},
			want: Values{"BATCH_SIZE": int64(7)},
		},
		{
			name: "defaults option",
			opts: Options{Defaults: map[string]string{"BATCH_SIZE": "5", "HTML__WIDTH": "3"}},
			want: Values{"BATCH_SIZE": int64(5), "HTML": Values{"WIDTH": int64(3), "TOKEN": SecretString("")}},
		},
		{
			name: "struct default as JSON object",
			opts: Options{Defaults: map[string]string{"HTML": `{"WIDTH": 4}`}},
			want: Values{"HTML": Values{"WIDTH": int64(4), "TOKEN": SecretString("")}},
		},
		{
			name: "environment wins over defaults option",
			env:  []string{"STEP__BATCH_SIZE=9"},
			opts: Options{Defaults: map[string]string{"BATCH_SIZE": "5"}},
			want: Values{"BATCH_SIZE": int64(9)},
		},
		{
			name: "whole-step object wins over defaults option",
			env:  []string{`STEP={"BATCH_SIZE": 6}`},
			opts: Options{Defaults: map[string]string{"BATCH_SIZE": "5"}},
			want: Values{"BATCH_SIZE": int64(6)},
		},
		{
			name: "defaults option satisfies a required field",
			env:  []string{},
			opts: Options{Defaults: map[string]string{"FOLDER_PATH": "./other"}},
			want: Values{"FOLDER_PATH": "./other"},
		},
		{
			name: "unprefixed variables never leak into a step",
			env:  []string{"BATCH_SIZE=5", "FOLDER_PATH=/etc"},
			want: Values{"BATCH_SIZE": int64(100), "FOLDER_PATH": "./docs"},
		},
		{name: "last duplicate wins", env: []string{"STEP__BATCH_SIZE=1", "STEP__BATCH_SIZE=2"}, want: Values{"BATCH_SIZE": int64(2)}},
		{name: "allow extra option", env: []string{"STEP__EXTRA=1"}, opts: Options{AllowExtra: true}, want: Values{"BATCH_SIZE": int64(100)}},
		{name: "ALLOW_EXTRA_SETTINGS", env: []string{"STEP__EXTRA=1", `STEP={"MORE": 1}`, "ALLOW_EXTRA_SETTINGS=TRUE"}, want: Values{"BATCH_SIZE": int64(100)}},
		{name: "other prefixes are not ours", env: []string{"STEPX__A=1", "STEP_A=1", "OTHER__STEP__A=1"}, want: Values{"BATCH_SIZE": int64(100)}},
		{name: "entries without = are skipped", env: []string{"JUNK", "=C:=C:\\"}, want: Values{"BATCH_SIZE": int64(100)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := tt.env
			if env == nil {
				env = base
			} else if tt.opts.Defaults["FOLDER_PATH"] == "" {
				env = append(append([]string(nil), base...), env...)
			}
			got, err := FromEnv(env, "STEP", testFields, tt.opts)
			if err != nil {
				t.Fatalf("FromEnv: %v", err)
			}
			for k, w := range tt.want {
				if g := got[k]; !reflect.DeepEqual(g, w) {
					t.Errorf("%s = %#v (%T), want %#v (%T)", k, g, g, w, w)
				}
			}
			if tt.name == "optional without default is absent" && got.Has("SIZES") {
				t.Errorf("SIZES is set: %v", got["SIZES"])
			}
		})
	}
}

func TestFromEnvUnprefixed(t *testing.T) {
	env := []string{"FOLDER_PATH=./docs", "BATCH_SIZE=3", "HTML__WIDTH=2", "STEP__BATCH_SIZE=99", "UNRELATED=x"}
	got, err := FromEnv(env, "STEP", testFields, Options{Unprefixed: true})
	if err != nil {
		t.Fatal(err)
	}
	if got.Int("BATCH_SIZE") != 3 || got.Str("FOLDER_PATH") != "./docs" || got.Struct("HTML").Int("WIDTH") != 2 {
		t.Errorf("got %v", got)
	}
}

func TestFromEnvErrors(t *testing.T) {
	tests := []struct {
		name string
		env  []string
		opts Options
		want string
	}{
		{"int word", []string{"STEP__BATCH_SIZE=abc"}, Options{}, `environment variable STEP__BATCH_SIZE: want an integer >= 1, got "abc"`},
		{"int octal", []string{"STEP__BATCH_SIZE=010"}, Options{}, `environment variable STEP__BATCH_SIZE: want an integer >= 1 without leading zeros (decimal only), got "010"`},
		{"int hex", []string{"STEP__BATCH_SIZE=0x10"}, Options{}, `environment variable STEP__BATCH_SIZE: want an integer >= 1, got "0x10"`},
		{"int underscore", []string{"STEP__BATCH_SIZE=1_000"}, Options{}, `environment variable STEP__BATCH_SIZE: want an integer >= 1, got "1_000"`},
		{"int space", []string{"STEP__BATCH_SIZE= 8"}, Options{}, `environment variable STEP__BATCH_SIZE: want an integer >= 1, got " 8"`},
		{"int overflow", []string{"STEP__BATCH_SIZE=99999999999999999999"}, Options{}, `environment variable STEP__BATCH_SIZE: want an integer >= 1, got "99999999999999999999" (out of range)`},
		{"int below min", []string{"STEP__BATCH_SIZE=0"}, Options{}, `environment variable STEP__BATCH_SIZE: want an integer >= 1, got "0"`},
		{"int set but empty", []string{"STEP__BATCH_SIZE="}, Options{}, `environment variable STEP__BATCH_SIZE: want an integer >= 1, got an empty value`},
		{"float NaN", []string{"STEP__RATIO=NaN"}, Options{}, `environment variable STEP__RATIO: want a finite number, got "NaN"`},
		{"float Inf", []string{"STEP__RATIO=-Inf"}, Options{}, `environment variable STEP__RATIO: want a finite number, got "-Inf"`},
		{"float hex", []string{"STEP__RATIO=0x1p-2"}, Options{}, `environment variable STEP__RATIO: want a number, got "0x1p-2"`},
		{"float range", []string{"STEP__RATIO=1e400"}, Options{}, `environment variable STEP__RATIO: want a number, got "1e400" (out of range)`},
		{"bool", []string{"STEP__NORMALIZE=maybe"}, Options{}, `environment variable STEP__NORMALIZE: want a boolean (true, false, 1, 0, yes, no, on, off, t, f, y, n), got "maybe"`},
		{"duration unit", []string{"STEP__TIMEOUT=1d"}, Options{}, `environment variable STEP__TIMEOUT: want a duration such as 90s, 1m30s or 2h (units ns, us, ms, s, m, h) or a number of seconds, got "1d"`},
		{"duration negative", []string{"STEP__TIMEOUT=-5s"}, Options{}, `environment variable STEP__TIMEOUT: want a non-negative duration, got "-5s"`},
		{"url without scheme", []string{"STEP__API=example.com/v1"}, Options{}, `environment variable STEP__API: want an absolute URL with a scheme, such as https://example.com/v1, got "example.com/v1"`},
		{"url credentials redacted", []string{"STEP__API=https://user:" + canary + "@/x"}, Options{}, `environment variable STEP__API: want an absolute URL with a scheme, such as https://example.com/v1, got "https://user:xxxxx@/x"`},
		{"list syntax", []string{`STEP__DROP_BY_FIELDS=["md",`}, Options{}, `environment variable STEP__DROP_BY_FIELDS: want a JSON array of strings: invalid JSON at line 1, column 7: unexpected end of JSON input`},
		{"list bad char", []string{`STEP__DROP_BY_FIELDS=[md]`}, Options{}, `environment variable STEP__DROP_BY_FIELDS: want a JSON array of strings: invalid JSON at line 1, column 2: invalid character 'm' looking for beginning of value`},
		{"list not array", []string{`STEP__DROP_BY_FIELDS="md"`}, Options{}, `environment variable STEP__DROP_BY_FIELDS: want a JSON array of strings, got "md"`},
		{"list element", []string{`STEP__DROP_BY_FIELDS=["md", 1]`}, Options{}, `environment variable STEP__DROP_BY_FIELDS: element 1: want a string, got 1`},
		{"list element bound", []string{`STEP__SIZES=[1, 11]`}, Options{}, `environment variable STEP__SIZES: element 1: want an integer <= 10, got 11`},
		{"list trailing data", []string{`STEP__SIZES=[1] [2]`}, Options{}, `environment variable STEP__SIZES: want a JSON array of integers: invalid JSON at line 1, column 4: unexpected data after the JSON value`},
		{"map duplicate key", []string{`STEP__PREFIX_MAP={"a": "1", "a": "2"}`}, Options{}, `environment variable STEP__PREFIX_MAP: want a JSON object of strings: invalid JSON at line 1, column 12: duplicate key "a"`},
		{"map value", []string{`STEP__PREFIX_MAP={"a": null}`}, Options{}, `environment variable STEP__PREFIX_MAP: key "a": want a string, got null`},
		{"enum", []string{"STEP__DISTANCE=dot"}, Options{}, `environment variable STEP__DISTANCE: want one of "Cosine", "Dot", got "dot"`},
		{"missing required", []string{}, Options{}, `environment variable STEP__FOLDER_PATH: missing required setting (want a path)`},
		{"required set but empty", []string{"STEP__FOLDER_PATH="}, Options{}, `environment variable STEP__FOLDER_PATH: want a path, got an empty value`},
		{"unknown with suggestion", []string{"STEP__BATCH_SZIE=10"}, Options{}, `environment variable STEP__BATCH_SZIE: unknown setting (did you mean STEP__BATCH_SIZE?)`},
		{"unknown nested with suggestion", []string{"STEP__HTML__WIDHT=10"}, Options{}, `environment variable STEP__HTML__WIDHT: unknown setting (did you mean STEP__HTML__WIDTH?)`},
		{"unknown below a leaf", []string{"STEP__BATCH_SIZE__X=10"}, Options{}, `environment variable STEP__BATCH_SIZE__X: unknown setting (did you mean STEP__BATCH_SIZE?)`},
		{"unknown far off", []string{"STEP__COMPLETELY_DIFFERENT=1"}, Options{}, `environment variable STEP__COMPLETELY_DIFFERENT: unknown setting of STEP (known: API, API_KEY, BATCH_SIZE, DISTANCE, DROP_BY_FIELDS, FOLDER_PATH, HTML, HTML__TOKEN, HTML__WIDTH, NAME, NORMALIZE, PREFIX_MAP, RATIO, SIZES, TIMEOUT); set ALLOW_EXTRA_SETTINGS=true to ignore unknown settings`},
		{"case variant", []string{"STEP__batch_size=10"}, Options{}, `environment variable STEP__batch_size: unknown variable; names are case-sensitive (did you mean STEP__BATCH_SIZE?)`},
		{"case variant with allow extra", []string{"step__BATCH_SIZE=10"}, Options{AllowExtra: true}, `environment variable step__BATCH_SIZE: unknown variable; names are case-sensitive (did you mean STEP__BATCH_SIZE?)`},
		{"two case variants", []string{"STEP__BATCH_SIZE=1", "Step__Batch_Size=2"}, Options{}, `environment variable Step__Batch_Size: set twice in different case, also as STEP__BATCH_SIZE; remove one`},
		{"bad ALLOW_EXTRA_SETTINGS", []string{"ALLOW_EXTRA_SETTINGS=sure"}, Options{}, `environment variable ALLOW_EXTRA_SETTINGS: want a boolean (true, false, 1, 0, yes, no, on, off, t, f, y, n), got "sure"`},
		{"blob not an object", []string{`STEP=[1]`}, Options{}, `environment variable STEP: want a JSON object, got an array`},
		{"blob syntax hides text when secrets exist", []string{`STEP={"API_KEY": ` + canary + `}`}, Options{}, `environment variable STEP: want a JSON object: invalid JSON at line 1, column 13: invalid JSON syntax`},
		{"blob unknown key", []string{`STEP={"BATCH_SZIE": 1}`}, Options{}, `environment variable STEP (JSON key BATCH_SZIE): unknown key (did you mean BATCH_SIZE?)`},
		{"blob key case", []string{`STEP={"batch_size": 1}`}, Options{AllowExtra: true}, `environment variable STEP (JSON key batch_size): unknown key; names are case-sensitive (did you mean BATCH_SIZE?)`},
		{"blob nested unknown key", []string{`STEP={"HTML": {"W": 1}}`}, Options{}, `environment variable STEP (JSON key HTML.W): unknown key (known: TOKEN, WIDTH)`},
		{"blob bad type", []string{`STEP={"BATCH_SIZE": 1.5}`}, Options{}, `environment variable STEP (JSON key BATCH_SIZE): want an integer >= 1, got 1.5`},
		{"blob bad bool", []string{`STEP={"NORMALIZE": 2}`}, Options{}, `environment variable STEP (JSON key NORMALIZE): want a boolean (true, false, 1, 0, yes, no, on, off, t, f, y, n), got 2`},
		{"blob struct not an object", []string{`STEP={"HTML": 3}`}, Options{}, `environment variable STEP (JSON key HTML): want a JSON object, got a number`},
		{"blob null", []string{`STEP={"NAME": null}`}, Options{}, `environment variable STEP (JSON key NAME): want a string, got null`},
		{"default invalid", nil, Options{Defaults: map[string]string{"BATCH_SIZE": "x"}}, `--default BATCH_SIZE: want an integer >= 1, got "x"`},
		{"default source name", nil, Options{Defaults: map[string]string{"BATCH_SIZE": "x"}, DefaultsSource: "pipeline.yaml setting"}, `pipeline.yaml setting BATCH_SIZE: want an integer >= 1, got "x"`},
		{"default unknown", nil, Options{Defaults: map[string]string{"BATCH_SZIE": "1"}}, `--default BATCH_SZIE: unknown setting (did you mean BATCH_SIZE?)`},
		{"default case", nil, Options{Defaults: map[string]string{"batch_size": "1"}}, `--default batch_size: unknown setting; names are case-sensitive (did you mean BATCH_SIZE?)`},
		{"bad prefix", nil, Options{}, ``},
		{
			"every problem at once, sorted",
			[]string{"STEP__BATCH_SIZE=abc", "STEP__RATIO=x", "STEP__NOPE=1"},
			Options{},
			"4 invalid settings:\n" +
				"  environment variable STEP__BATCH_SIZE: want an integer >= 1, got \"abc\"\n" +
				"  environment variable STEP__FOLDER_PATH: missing required setting (want a path)\n" +
				"  environment variable STEP__NOPE: unknown setting (did you mean STEP__NAME?)\n" +
				"  environment variable STEP__RATIO: want a number, got \"x\"",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := tt.env
			if env == nil {
				env = []string{"STEP__FOLDER_PATH=x"}
			} else if tt.name != "missing required" && !strings.HasPrefix(tt.name, "required") && !strings.HasPrefix(tt.name, "every") {
				env = append([]string{"STEP__FOLDER_PATH=x"}, env...)
			}
			prefix := "STEP"
			want := tt.want
			if tt.name == "bad prefix" {
				prefix = "step-1"
				want = `env prefix "step-1": want letters, digits and underscores, not starting with a digit`
			}
			_, err := FromEnv(env, prefix, testFields, tt.opts)
			if err == nil {
				t.Fatalf("no error, want %q", want)
			}
			if !IsError(err) {
				t.Errorf("error is %T, want *settings.Error", err)
			}
			if got := err.Error(); got != want {
				t.Errorf("error:\n got %s\nwant %s", got, want)
			}
			if strings.Contains(err.Error(), canary) {
				t.Errorf("error reveals the secret: %s", err)
			}
		})
	}
}

func TestFromEnvProblemCodes(t *testing.T) {
	_, err := FromEnv([]string{"STEP__X=1", "STEP__BATCH_SIZE=a", "STEP__batch_size=1"}, "STEP", testFields, Options{})
	e, ok := err.(*Error)
	if !ok {
		t.Fatalf("got %T %v", err, err)
	}
	var got []string
	for _, p := range e.Problems {
		got = append(got, p.Code)
	}
	want := []string{CodeInvalid, CodeMissing, CodeUnknown, CodeConflict}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("codes %v, want %v (%v)", got, want, err)
	}
}

// TestSecretsNeverPrinted checks every way a secret could reach output.
func TestSecretsNeverPrinted(t *testing.T) {
	fields := []Field{
		{Name: "API_KEY", Kind: Secret, Required: true, Enum: []string{"other"}},
		{Name: "KEYS", Kind: List, Elem: Secret},
		{Name: "SUB", Kind: Struct, Fields: []Field{{Name: "TOKEN", Kind: Secret}}},
	}
	t.Run("values", func(t *testing.T) {
		vals, err := FromEnv([]string{
			`S={"SUB": {"TOKEN": "` + canary + `"}}`,
			`S__KEYS=["` + canary + `"]`,
			"S__API_KEY=other",
		}, "S", fields, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if vals.Struct("SUB").Secret("TOKEN").Reveal() != canary {
			t.Fatalf("secret not read: %v", vals)
		}
		js, _ := json.Marshal(vals)
		var logged strings.Builder
		slog.New(slog.NewTextHandler(&logged, nil)).Info("x", "settings", vals, "token", vals.Struct("SUB")["TOKEN"])
		secret := vals.Struct("SUB")["TOKEN"]
		outputs := map[string]string{
			"%v": fmt.Sprintf("%v", vals), "%+v": fmt.Sprintf("%+v", vals), "%#v": fmt.Sprintf("%#v", vals),
			"%s": fmt.Sprintf("%s", vals), "%q": fmt.Sprintf("%q", secret), "%x": fmt.Sprintf("%x", secret),
			"%d": fmt.Sprintf("%d", secret), "Sprint": fmt.Sprint(secret), "json": string(js), "slog": logged.String(),
		}
		for name, out := range outputs {
			if strings.Contains(out, canary) || strings.Contains(out, fmt.Sprintf("%x", canary)) {
				t.Errorf("%s reveals the secret: %s", name, out)
			}
			if !strings.Contains(out, "***") {
				t.Errorf("%s does not show ***: %s", name, out)
			}
		}
	})
	t.Run("errors", func(t *testing.T) {
		for _, env := range [][]string{
			{"S__API_KEY=" + canary},                               // not in the enum
			{`S__KEYS=["` + canary + `", 1]`},                      // bad element after it
			{`S__KEYS=` + canary},                                  // not JSON
			{`S__KEYS={"a": "` + canary + `"}`},                    // object, not array
			{`S={"API_KEY": ` + canary + `}`},                      // JSON syntax
			{`S={"API_KEY": ["` + canary + `"]}`},                  // wrong type
			{`S__SUB={"TOKEN": "` + canary + `", "X": 1}`},         // unknown key next to it
			{`S__SUB=` + canary},                                   // not JSON
			{"S__SUB__TOKEN=" + canary, "S__SUB__TOKEM=" + canary}, // typo of a secret
		} {
			_, err := FromEnv(env, "S", fields, Options{})
			if err == nil {
				t.Errorf("%q: no error", env)
				continue
			}
			if strings.Contains(err.Error(), canary) || strings.Contains(err.Error(), "CANARY") {
				t.Errorf("%q: error reveals the secret: %s", env, err)
			}
		}
	})
}

func TestValidateFields(t *testing.T) {
	tests := []struct {
		name   string
		fields []Field
		want   string
	}{
		{"ok", testFields, ""},
		{"double underscore", []Field{{Name: "A__B", Kind: String}}, `invalid setting definitions: field "A__B": name must be letters and digits joined by single underscores`},
		{"duplicate", []Field{{Name: "A", Kind: String}, {Name: "a", Kind: Int}}, `invalid setting definitions: field a: defined twice`},
		{"bad default", []Field{{Name: "A", Kind: Int, Default: "x"}}, `invalid setting definitions: field A: default: want an integer, got "x"`},
		{"bad secret default", []Field{{Name: "A", Kind: Secret, Enum: []string{"a"}, Default: "b"}}, `invalid setting definitions: field A: default: invalid secret value`},
		{"bad enum", []Field{{Name: "A", Kind: Bool, Enum: []string{"maybe"}}}, `invalid setting definitions: field A: enum value: want a boolean (true, false, 1, 0, yes, no, on, off, t, f, y, n), got "maybe"`},
		{"unknown kind", []Field{{Name: "A", Kind: "decimal"}}, `invalid setting definitions: field A: unknown kind "decimal"`},
		{"list of lists", []Field{{Name: "A", Kind: List, Elem: List}}, `invalid setting definitions: field A: element kind list is not supported`},
		{"empty struct", []Field{{Name: "A", Kind: Struct}}, `invalid setting definitions: field A: a struct needs fields`},
		{"nested", []Field{{Name: "A", Kind: Struct, Fields: []Field{{Name: "B", Kind: Int, Default: "1.5"}}}}, `invalid setting definitions: field A__B: default: want an integer, got "1.5"`},
		{"min over max", []Field{{Name: "A", Kind: Int, Min: Ptr(2), Max: Ptr(1)}}, `invalid setting definitions: field A: Min is greater than Max`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidateFields(tt.fields)
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestSuggest(t *testing.T) {
	tests := []struct{ name, want string }{
		{"BATCH_SZIE", "BATCH_SIZE"},
		{"batch_size", "BATCH_SIZE"},
		{"TOKEN_COUNT_MAXX", "TOKEN_COUNT_MAX"},
		{"TOKEN_COUNT", ""},
		{"XYZ", ""},
	}
	cands := []string{"BATCH_SIZE", "TOKEN_COUNT_MAX", "TOKEN_COUNT_MIN", "NUM_THREADS"}
	for _, tt := range tests {
		if got := suggestName(tt.name, cands); got != tt.want {
			t.Errorf("suggestName(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}
