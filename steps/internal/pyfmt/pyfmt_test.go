package pyfmt

import (
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"
)

// Expected strings were printed by Python 3.11 (repr and json.dumps).
var point1 = 0.1

func TestFloat(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{
		{0, "0.0"}, {math.Copysign(0, -1), "-0.0"}, {1, "1.0"}, {100, "100.0"}, {0.1, "0.1"},
		{0.0001, "0.0001"}, {0.00001, "1e-05"}, {1.5e-7, "1.5e-07"}, {1e16, "1e+16"},
		{1e15, "1000000000000000.0"}, {123456789012345678, "1.2345678901234568e+17"},
		{1.0 / 3, "0.3333333333333333"}, {-2.5, "-2.5"}, {1e22, "1e+22"}, {5e-324, "5e-324"},
		{1.7976931348623157e308, "1.7976931348623157e+308"}, {point1 + 0.2, "0.30000000000000004"},
		{12345.678, "12345.678"}, {9999999999999998, "9999999999999998.0"},
		{math.Inf(1), "inf"}, {math.Inf(-1), "-inf"}, {math.NaN(), "nan"},
	}
	for _, tt := range tests {
		if got := Float(tt.in); got != tt.want {
			t.Errorf("Float(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestStrAndJSONString(t *testing.T) {
	tests := []struct{ in, repr, json string }{
		{"", `''`, `""`},
		{"it's", `"it's"`, `"it's"`},
		{`say "hi"`, `'say "hi"'`, `"say \"hi\""`},
		{`both ' and "`, `'both \' and "'`, `"both ' and \""`},
		{"tab\tnl\nr\r", `'tab\tnl\nr\r'`, `"tab\tnl\nr\r"`},
		{`back\slash`, `'back\\slash'`, `"back\\slash"`},
		{"\x00\x1f\x7f", `'\x00\x1f\x7f'`, `"\u0000\u001f\u007f"`},
		{"\u00a0nbsp", `'\xa0nbsp'`, `"\u00a0nbsp"`},
		{"zero\u200bwidth", `'zero\u200bwidth'`, `"zero\u200bwidth"`},
		{"umlaut ä 日本 🙂", `'umlaut ä 日本 🙂'`, `"umlaut \u00e4 \u65e5\u672c \ud83d\ude42"`},
		{"\u2028", `'\u2028'`, `"\u2028"`},
		{"\U000e0001", `'\U000e0001'`, `"\udb40\udc01"`},
		{"\ufffd", "'\ufffd'", `"\ufffd"`},
	}
	for _, tt := range tests {
		if got := Str(tt.in); got != tt.repr {
			t.Errorf("Str(%q) = %s, want %s", tt.in, got, tt.repr)
		}
		var b strings.Builder
		JSONString(&b, tt.in)
		if got := b.String(); got != tt.json {
			t.Errorf("JSONString(%q) = %s, want %s", tt.in, got, tt.json)
		}
	}
}

func TestJSONAndRepr(t *testing.T) {
	v := []any{map[string]any{"md": "x", "b": []any{int64(1), 2.5, nil, true}, "a": map[string]any{"c": "ü"}}}
	var b strings.Builder
	if err := JSON(&b, v); err != nil {
		t.Fatal(err)
	}
	if got, want := b.String(), `[{"a": {"c": "\u00fc"}, "b": [1, 2.5, null, true], "md": "x"}]`; got != want {
		t.Errorf("JSON = %s, want %s", got, want)
	}
	r, err := Repr(v)
	if err != nil {
		t.Fatal(err)
	}
	if want := `[{'a': {'c': 'ü'}, 'b': [1, 2.5, None, True], 'md': 'x'}]`; r != want {
		t.Errorf("Repr = %s, want %s", r, want)
	}
	r, err = Repr(map[string]any{"s": []string{"a"}, "m": map[string]string{"k": "v"}})
	if want := `{'m': {'k': 'v'}, 's': ['a']}`; err != nil || r != want {
		t.Errorf("Repr = %s, %v, want %s", r, err, want)
	}
	if _, err := Repr(map[string]any{"t": struct{}{}}); err == nil || err.Error() != "cannot write a value of type struct {}" {
		t.Errorf("Repr(struct) error = %v", err)
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want any
	}{
		{"None", nil},
		{"True", true},
		{" False ", false},
		{"[0.1, 0.2, -3, 1e-05, 1E+16, .5, 5., -0.0]", []any{0.1, 0.2, int64(-3), 1e-05, 1e16, 0.5, 5.0, math.Copysign(0, -1)}},
		{"[]", []any{}},
		{"(1, 2)", []any{int64(1), int64(2)}},
		{"(1,)", []any{int64(1)}},
		{"(1)", int64(1)},
		{"[1, 2,]", []any{int64(1), int64(2)}},
		{"{'a': 1, \"b\": 'it\\'s', 'c': None, 'd': [True], 'e': {}}", map[string]any{"a": int64(1), "b": "it's", "c": nil, "d": []any{true}, "e": map[string]any{}}},
		{"{'a': 1,}", map[string]any{"a": int64(1)}},
		{`'\x41\u00e4\U0001F642\n\t\\\101'`, "Aä🙂\n\t\\A"},
		{`'unknown \d escape'`, `unknown \d escape`},
		{`r'raw\n'`, `raw\n`},
		{`'a' "b"`, "ab"},
		{`'''tri'ple'''`, "tri'ple"},
		{"1_000", int64(1000)},
		{"0x1f", int64(31)},
		{"- 5", int64(-5)},
		{"123456789012345678901234567890", json.Number("123456789012345678901234567890")},
		{"[\n  1,\n  2\n]", []any{int64(1), int64(2)}},
		{"'ü 日本'", "ü 日本"},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.in, err)
			continue
		}
		if !reflect.DeepEqual(got, tt.want) || math.Signbit(asFloat(got)) != math.Signbit(asFloat(tt.want)) {
			t.Errorf("Parse(%q) = %#v, want %#v", tt.in, got, tt.want)
		}
	}
}

func asFloat(v any) float64 {
	if l, ok := v.([]any); ok && len(l) > 0 {
		v = l[len(l)-1]
	}
	f, _ := v.(float64)
	return f
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "at offset 0: unexpected end of input, want a value"},
		{"[1, 2", "at offset 0: unclosed '['"},
		{"[1 2]", "at offset 3: unexpected '2', want ',' or ']'"},
		{"{1: 2}", "at offset 1: dict key must be a string"},
		{"{'a', 'b'}", "at offset 4: sets are not supported, want a dict"},
		{"nan", `at offset 0: "nan" is not a literal (want None, True, False, a number, a string, a list or a dict)`},
		{"inf", `at offset 0: "inf" is not a literal (want None, True, False, a number, a string, a list or a dict)`},
		{"'abc", "at offset 0: unterminated string"},
		{"1j", "at offset 0: complex numbers are not supported"},
		{"010", `at offset 0: invalid number "010"`},
		{"b'x'", "at offset 0: bytes literals are not supported"},
		{"[1] x", "at offset 4: unexpected 'x' after the value"},
		{"1.2.3", `at offset 0: invalid number "1.2.3"`},
		{"[1e400]", `at offset 1: number "1e400" is out of range`},
		{strings.Repeat("[", 200), "at offset 101: nested deeper than 100 levels"},
	}
	for _, tt := range tests {
		_, err := Parse(tt.in)
		if err == nil || err.Error() != tt.want {
			t.Errorf("Parse(%q) error = %v, want %s", tt.in, err, tt.want)
		}
	}
}

// Repr's output parses back to the same value.
func FuzzReprRoundTrip(f *testing.F) {
	f.Add("a'b\"c\\", 1.5, int64(-3))
	f.Add("\x00\u200b🙂", 1e-7, int64(1<<62))
	f.Fuzz(func(t *testing.T, s string, x float64, n int64) {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return
		}
		s = strings.ToValidUTF8(s, "?")
		v := map[string]any{s: []any{s, x, n, nil, true, map[string]any{}}}
		r, err := Repr(v)
		if err != nil {
			t.Fatal(err)
		}
		got, err := Parse(r)
		if err != nil {
			t.Fatalf("Parse(%s): %v", r, err)
		}
		if !reflect.DeepEqual(got, v) {
			t.Fatalf("round trip of %s gave %#v", r, got)
		}
	})
}
