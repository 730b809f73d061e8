package settings

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

var fuzzFields = []Field{
	{Name: "NAME", Kind: String, Default: "x"},
	{Name: "N", Kind: Int, Min: Ptr(0), Max: Ptr(1000)},
	{Name: "F", Kind: Float},
	{Name: "B", Kind: Bool, Default: "false"},
	{Name: "D", Kind: Duration, Default: "1s"},
	{Name: "P", Kind: Path},
	{Name: "U", Kind: URL},
	{Name: "L", Kind: List, Elem: Int},
	{Name: "M", Kind: Map},
	{Name: "E", Kind: String, Enum: []string{"a", "b"}},
	{Name: "API_KEY", Kind: Secret},
	{Name: "SUB", Kind: Struct, Fields: []Field{
		{Name: "X", Kind: Int, Default: "1"},
		{Name: "TOKEN", Kind: Secret},
	}},
}

// FuzzFromEnv checks that any environment gives values or a *Error, never a panic, and
// that the secret in S__API_KEY never shows in the error or in printed values. The
// environment is one string, entries separated by NUL bytes (which no variable can hold).
func FuzzFromEnv(f *testing.F) {
	for _, seed := range []string{
		"S__N=5",
		"S__N=abc\x00S__F=NaN\x00S__B=maybe",
		`S={"N": 1, "SUB": {"X": 2}}` + "\x00S__SUB__X=3",
		`S__L=[1, "a"]` + "\x00" + `S__M={"a": "b", "a": "c"}`,
		"S__API_KEY=hunter2-secret-value\x00S__API_KEY_=x",
		"s__n=1\x00S__N=2",
		"ALLOW_EXTRA_SETTINGS=true\x00S__NOPE=1",
		"S__D=1d\x00S__U=example.com",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, envText string) {
		env := strings.Split(envText, "\x00")
		vals, err := FromEnv(env, "S", fuzzFields, Options{})
		if err != nil && !IsError(err) {
			t.Fatalf("error is %T: %v", err, err)
		}
		if (vals == nil) == (err == nil) {
			t.Fatalf("want values or an error, got %v and %v", vals, err)
		}
		secret := ""
		for _, kv := range env {
			if v, ok := strings.CutPrefix(kv, "S__API_KEY="); ok {
				secret = strings.TrimSuffix(strings.TrimSuffix(v, "\n"), "\r")
			}
		}
		// Only a distinctive secret can be looked for: one that occurs nowhere else.
		if len(secret) < 8 || strings.Count(envText, secret) != 1 || strings.Contains(knownText, secret) {
			return
		}
		// The secret leaks if the output shows it more often than the output of the same
		// environment with another secret does (a secret such as "00000000" can be part of
		// the printed defaults, like a duration's 1000000000 nanoseconds).
		out := fuzzShow(vals, err)
		other := make([]string, len(env))
		for i, kv := range env {
			if strings.HasPrefix(kv, "S__API_KEY=") {
				kv = "S__API_KEY=" + strings.Repeat("\x01", len(secret))
			}
			other[i] = kv
		}
		base := fuzzShow(FromEnv(other, "S", fuzzFields, Options{}))
		if strings.Count(out, secret) > strings.Count(base, secret) {
			t.Fatalf("output shows the secret %q: %s", secret, out)
		}
	})
}

// fuzzShow prints values every way a user may see them, or the error.
func fuzzShow(vals Values, err error) string {
	if err != nil {
		return err.Error()
	}
	js, _ := json.Marshal(vals)
	return fmt.Sprintf("%v %+v %#v %s", vals, vals, vals, js)
}

// knownText holds names and words that errors print, which a fuzzed secret may match.
var knownText = strings.Join(paths(fuzzFields, ""), " ") + " want an integer a number a boolean a duration " +
	"unknown setting known ALLOW_EXTRA_SETTINGS environment variable JSON key"

// FuzzParseEnvFile checks that the .env parser never panics, that what it returns is
// valid, and that formatting its entries again gives back the same entries.
func FuzzParseEnvFile(f *testing.F) {
	for _, seed := range []string{
		"A=1\nB='x y'\n",
		"export A=\"a \\\" b\"\n# c\n",
		"A='multi\nline'\r\nB=2 # c\n",
		"A\nB =1\nC=$x\n",
		"\ufeffA=\"unterminated\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		entries, err := ParseEnvFile("f.env", data)
		if err != nil {
			if !IsError(err) {
				t.Fatalf("error is %T", err)
			}
			return
		}
		var b strings.Builder
		for _, kv := range entries {
			k, v, ok := strings.Cut(kv, "=")
			if !ok || k == "" || strings.ContainsRune(v, 0) {
				t.Fatalf("bad entry %q", kv)
			}
			b.WriteString(FormatEnvLine(k, v) + "\n")
		}
		back, err := ParseEnvFile("g.env", []byte(b.String()))
		if err != nil {
			t.Fatalf("formatted entries do not parse: %v\n%s", err, b.String())
		}
		if !reflect.DeepEqual(back, entries) && !(len(back) == 0 && len(entries) == 0) {
			t.Fatalf("round trip: got %q, want %q", back, entries)
		}
	})
}

// FuzzFormatEnvLine checks that every value without NUL survives FormatEnvLine and
// ParseEnvFile.
func FuzzFormatEnvLine(f *testing.F) {
	for _, seed := range []string{"", "a b", "it's", "$x`y`\"z\"\\", "a\r\nb", "#x", " "} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, value string) {
		if strings.ContainsRune(value, 0) {
			return
		}
		line := FormatEnvLine("K", value)
		got, err := ParseEnvFile("f", []byte(line))
		if err != nil {
			t.Fatalf("%s: %v", line, err)
		}
		if len(got) != 1 || got[0] != "K="+value {
			t.Fatalf("%s: got %q", line, got)
		}
	})
}
