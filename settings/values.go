package settings

import (
	"fmt"
	"log/slog"
	"time"
)

// Values holds parsed settings by field name. Values are string, int64, float64, bool,
// time.Duration, []any, map[string]any, Values (for a Struct) or SecretString. Printing
// Values in any way (fmt verbs, JSON, slog) shows secrets as ***.
type Values map[string]any

// SecretString is a secret setting. No fmt verb, JSON, text or slog encoding reveals it.
type SecretString string

const redacted = "***"

func (SecretString) String() string   { return redacted }
func (SecretString) GoString() string { return redacted }

// Format implements fmt.Formatter, so that every verb (%v, %s, %q, %x, %d...) prints ***.
func (SecretString) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(redacted)) }

// MarshalJSON encodes the secret as "***".
func (SecretString) MarshalJSON() ([]byte, error) { return []byte(`"` + redacted + `"`), nil }

// MarshalText encodes the secret as ***.
func (SecretString) MarshalText() ([]byte, error) { return []byte(redacted), nil }

// LogValue keeps the secret out of slog output.
func (SecretString) LogValue() slog.Value { return slog.StringValue(redacted) }

// Reveal returns the secret itself, for the one place that needs it.
func (s SecretString) Reveal() string { return string(s) }

// Has reports whether name has a value (optional fields without a default may have none).
func (v Values) Has(name string) bool {
	_, ok := v[name]
	return ok
}

// Str returns a string, path or URL setting ("" when unset).
func (v Values) Str(name string) string {
	s, _ := v[name].(string)
	return s
}

// Int returns an int setting (0 when unset).
func (v Values) Int(name string) int64 {
	n, _ := v[name].(int64)
	return n
}

// Float returns a float setting (0 when unset).
func (v Values) Float(name string) float64 {
	x, _ := v[name].(float64)
	return x
}

// Bool returns a bool setting (false when unset).
func (v Values) Bool(name string) bool {
	b, _ := v[name].(bool)
	return b
}

// Duration returns a duration setting (0 when unset).
func (v Values) Duration(name string) time.Duration {
	d, _ := v[name].(time.Duration)
	return d
}

// Secret returns a secret setting ("" when unset).
func (v Values) Secret(name string) SecretString {
	s, _ := v[name].(SecretString)
	return s
}

// List returns a list setting (nil when unset).
func (v Values) List(name string) []any {
	l, _ := v[name].([]any)
	return l
}

// Strings returns a list of strings (nil when unset or when the elements are not strings).
func (v Values) Strings(name string) []string {
	l := v.List(name)
	if l == nil {
		return nil
	}
	out := make([]string, 0, len(l))
	for _, e := range l {
		s, ok := e.(string)
		if !ok {
			return nil
		}
		out = append(out, s)
	}
	return out
}

// Map returns a map setting (nil when unset).
func (v Values) Map(name string) map[string]any {
	m, _ := v[name].(map[string]any)
	return m
}

// Struct returns the values of a nested Struct setting (nil when unset).
func (v Values) Struct(name string) Values {
	s, _ := v[name].(Values)
	return s
}
