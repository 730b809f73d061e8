package settings

import (
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// boolWords is the published accept-list for booleans, compared case-insensitively. It is
// the list pydantic accepts, so values written for Python Wurzel keep working.
var boolWords = []string{"true", "false", "1", "0", "yes", "no", "on", "off", "t", "f", "y", "n"}

var boolValues = map[string]bool{
	"true": true, "1": true, "yes": true, "on": true, "t": true, "y": true,
	"false": false, "0": false, "no": false, "off": false, "f": false, "n": false,
}

// ParseBool parses s with the published accept-list (true/false, 1/0, yes/no, on/off, t/f,
// y/n, any case).
func ParseBool(s string) (value, ok bool) {
	value, ok = boolValues[strings.ToLower(s)]
	return value, ok
}

var (
	intSyntax       = regexp.MustCompile(`^[+-]?[0-9]+$`)
	leadingZero     = regexp.MustCompile(`^[+-]?0[0-9]`)
	floatSyntax     = regexp.MustCompile(`^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$`)
	nonFiniteSyntax = regexp.MustCompile(`^(?i)[+-]?(nan|inf|infinity)$`)
)

// quote shows a value in an error: quoted, and cut after 80 bytes.
func quote(s string) string {
	const maxLen = 80
	if len(s) <= maxLen {
		return strconv.Quote(s)
	}
	cut := maxLen
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return strconv.Quote(s[:cut]) + "..."
}

// gotString describes a value from the environment for an error.
func gotString(f Field, s string) string {
	switch {
	case s == "":
		return "an empty value"
	case f.IsSecret():
		return "a secret value (not shown)"
	case f.Kind == URL || f.Elem == URL:
		if strings.Contains(s, "@") {
			if u, err := url.Parse(s); err == nil && u.User != nil {
				return quote(u.Redacted())
			}
			return "a value with credentials (not shown)"
		}
	}
	return quote(s)
}

// parseString parses a value as written in an environment variable (or in a --default).
// The message is empty on success.
func parseString(f Field, s string) (any, string) {
	if isContainer(f.Kind) {
		if s == "" {
			return nil, "want " + want(f, f.Kind) + ", got an empty value"
		}
		v, err := decodeJSON(s, f.IsSecret())
		if err != nil {
			return nil, "want " + want(f, f.Kind) + ": " + err.Error()
		}
		return parseJSON(f, v)
	}
	return parseScalar(f, s)
}

// parseScalar parses a value of one of the scalar kinds, f.Kind, then checks the enum and
// the bounds.
func parseScalar(f Field, s string) (any, string) {
	bad := func() (any, string) { return nil, "want " + want(f, f.Kind) + ", got " + gotString(f, s) }
	if s == "" && f.Kind != String && f.Kind != Secret {
		return bad()
	}
	var v any
	switch f.Kind {
	case String:
		v = s
	case Secret:
		// Mounted secret files often end in a newline; one is trimmed.
		s = strings.TrimSuffix(s, "\n")
		s = strings.TrimSuffix(s, "\r")
		v = SecretString(s)
	case Path:
		v = s
	case Int:
		if !intSyntax.MatchString(s) {
			return bad()
		}
		if leadingZero.MatchString(s) {
			return nil, "want " + want(f, f.Kind) + " without leading zeros (decimal only), got " + gotString(f, s)
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return nil, "want " + want(f, f.Kind) + ", got " + gotString(f, s) + " (out of range)"
		}
		v = n
	case Float:
		if nonFiniteSyntax.MatchString(s) {
			if !f.AllowNonFinite {
				return nil, "want a finite number" + bounds(f) + ", got " + gotString(f, s)
			}
			x, _ := strconv.ParseFloat(s, 64)
			v = x
			break
		}
		if !floatSyntax.MatchString(s) {
			return bad()
		}
		x, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return nil, "want " + want(f, f.Kind) + ", got " + gotString(f, s) + " (out of range)"
		}
		v = x
	case Bool:
		b, ok := ParseBool(s)
		if !ok {
			return bad()
		}
		v = b
	case Duration:
		d, ok := parseDuration(s)
		if !ok {
			return bad()
		}
		if d < 0 {
			return nil, "want a non-negative duration, got " + gotString(f, s)
		}
		v = d
	case URL:
		u, err := url.Parse(s)
		if err != nil || u.Scheme == "" || (u.Host == "" && u.Scheme != "file") || u.Opaque != "" {
			return bad()
		}
		v = s
	default:
		return nil, "unsupported kind " + string(f.Kind)
	}
	if msg := checkEnum(f, v); msg != "" {
		return nil, msg + ", got " + gotString(f, s)
	}
	if !inBounds(f, v) {
		return bad()
	}
	return v, ""
}

// parseDuration reads Go duration syntax (1m30s) or a plain number of seconds (30, 1.5).
func parseDuration(s string) (time.Duration, bool) {
	if floatSyntax.MatchString(s) {
		sec, err := strconv.ParseFloat(s, 64)
		if err != nil || math.Abs(sec) > math.MaxInt64/float64(time.Second) {
			return 0, false
		}
		return secondsToDuration(sec), true
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, false
	}
	return d, true
}

func secondsToDuration(sec float64) time.Duration {
	return time.Duration(math.Round(sec * float64(time.Second)))
}

// canonical formats a parsed scalar for enum comparison.
func canonical(v any) string {
	switch t := v.(type) {
	case int64:
		return strconv.FormatInt(t, 10)
	case float64:
		return strconv.FormatFloat(t, 'g', -1, 64)
	case bool:
		return strconv.FormatBool(t)
	case time.Duration:
		return t.String()
	case SecretString:
		return t.Reveal()
	default:
		return fmt.Sprint(v)
	}
}

func checkEnum(f Field, v any) string {
	if len(f.Enum) == 0 {
		return ""
	}
	got := canonical(v)
	for _, e := range f.Enum {
		ev, msg := parseScalar(Field{Kind: f.Kind, AllowNonFinite: f.AllowNonFinite}, e)
		if msg == "" && canonical(ev) == got {
			return ""
		}
	}
	quoted := make([]string, len(f.Enum))
	for i, e := range f.Enum {
		quoted[i] = strconv.Quote(e)
	}
	if f.IsSecret() {
		return "want one of the allowed values"
	}
	return "want one of " + strings.Join(quoted, ", ")
}

func inBounds(f Field, v any) bool {
	var x float64
	switch t := v.(type) {
	case int64:
		x = float64(t)
	case float64:
		if math.IsNaN(t) {
			return f.Min == nil && f.Max == nil
		}
		x = t
	case time.Duration:
		x = t.Seconds()
	default:
		return true
	}
	return (f.Min == nil || x >= *f.Min) && (f.Max == nil || x <= *f.Max)
}

// parseJSON converts a decoded JSON value (from a JSON object in a variable, or a list/map
// variable) to the field's kind.
func parseJSON(f Field, v any) (any, string) {
	switch f.Kind {
	case List:
		arr, ok := v.([]any)
		if !ok {
			return nil, "want " + want(f, f.Kind) + ", got " + describeJSON(v, !f.IsSecret())
		}
		el := elemField(f)
		out := make([]any, 0, len(arr))
		for i, e := range arr {
			x, msg := parseJSON(el, e)
			if msg != "" {
				return nil, fmt.Sprintf("element %d: %s", i, msg)
			}
			out = append(out, x)
		}
		return out, ""
	case Map:
		obj, ok := v.(map[string]any)
		if !ok {
			return nil, "want " + want(f, f.Kind) + ", got " + describeJSON(v, !f.IsSecret())
		}
		el := elemField(f)
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		out := make(map[string]any, len(obj))
		for _, k := range keys {
			x, msg := parseJSON(el, obj[k])
			if msg != "" {
				return nil, fmt.Sprintf("key %q: %s", k, msg)
			}
			out[k] = x
		}
		return out, ""
	}
	switch t := v.(type) {
	case string:
		return parseScalar(f, t)
	case json.Number:
		switch f.Kind {
		case Int, Float, Duration, Bool:
			x, msg := parseScalar(f, t.String())
			if msg != "" {
				return nil, "want " + want(f, f.Kind) + ", got " + describeJSON(v, !f.IsSecret())
			}
			return x, ""
		}
	case bool:
		if f.Kind == Bool {
			return t, ""
		}
	}
	return nil, "want " + want(f, f.Kind) + ", got " + describeJSON(v, !f.IsSecret())
}

// elemField is the field that describes one element of a List or Map.
func elemField(f Field) Field {
	return Field{Name: f.Name, Kind: f.elem(), Enum: f.Enum, Min: f.Min, Max: f.Max, AllowNonFinite: f.AllowNonFinite}
}
