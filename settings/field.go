package settings

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Kind is the type of a setting, as written in an environment variable.
type Kind string

// The kinds a setting can have.
const (
	String   Kind = "string"
	Int      Kind = "int"
	Float    Kind = "float"
	Bool     Kind = "bool"
	Duration Kind = "duration"
	Path     Kind = "path"
	URL      Kind = "url"
	List     Kind = "list"   // JSON array
	Map      Kind = "map"    // JSON object
	Secret   Kind = "secret" // a string that is never printed
	Struct   Kind = "struct" // nested fields: PREFIX__FIELD__SUB, or a JSON object in PREFIX__FIELD
)

// Field describes one setting of a step type.
type Field struct {
	// Name is the field as it appears in the variable name: BATCH_SIZE.
	Name string
	Kind Kind
	// Elem is the element kind of a List or Map (String when empty).
	Elem Kind
	// Default is the default written as a user would write it in the environment.
	// It is ignored when Required is set.
	Default string
	// Required fields have no default: a missing variable is an error.
	Required bool
	// Doc is one sentence for `wurzel inspect` and `wurzel env`.
	Doc string
	// Fields are the nested fields of a Struct.
	Fields []Field
	// Enum, when set, lists the accepted values (compared after parsing). For a List or
	// Map it applies to each element.
	Enum []string
	// Min and Max bound Int and Float values when set (Duration values in seconds). For a
	// List or Map they apply to each element.
	Min, Max *float64
	// AllowNonFinite lets a Float accept NaN, Inf, +Inf and -Inf.
	AllowNonFinite bool
}

// IsSecret reports whether the field's value must never be printed.
func (f Field) IsSecret() bool { return f.Kind == Secret || (isContainer(f.Kind) && f.Elem == Secret) }

// elem returns the element kind of a List or Map.
func (f Field) elem() Kind {
	if f.Elem == "" {
		return String
	}
	return f.Elem
}

func isContainer(k Kind) bool { return k == List || k == Map }

// TypeName names the field's type for `wurzel inspect` and `wurzel env`: int, list[string],
// map[string]float, struct.
func (f Field) TypeName() string {
	switch f.Kind {
	case List:
		return "list[" + string(f.elem()) + "]"
	case Map:
		return "map[string]" + string(f.elem())
	default:
		return string(f.Kind)
	}
}

// Ptr returns a pointer to v, for Field.Min and Field.Max.
func Ptr(v float64) *float64 { return &v }

var fieldName = regexp.MustCompile(`^[A-Za-z0-9]+(_[A-Za-z0-9]+)*$`)

// ValidateFields checks field definitions: names that make unambiguous variable names
// (letters, digits and single underscores inside), no duplicates, defaults and enum values
// that parse, element kinds that fit. Step types are checked by a test with it; FromEnv
// calls it too, so a broken definition never reads the environment.
func ValidateFields(fields []Field) error {
	var errs []string
	validateFields(fields, "", &errs)
	if len(errs) > 0 {
		return fmt.Errorf("invalid setting definitions: %s", strings.Join(errs, "; "))
	}
	return nil
}

func validateFields(fields []Field, path string, errs *[]string) {
	seen := map[string]bool{}
	for _, f := range fields {
		p := joinPath(path, f.Name)
		if !fieldName.MatchString(f.Name) {
			*errs = append(*errs, fmt.Sprintf("field %q: name must be letters and digits joined by single underscores", p))
			continue
		}
		if seen[strings.ToUpper(f.Name)] {
			*errs = append(*errs, fmt.Sprintf("field %s: defined twice", p))
		}
		seen[strings.ToUpper(f.Name)] = true
		switch f.Kind {
		case String, Int, Float, Bool, Duration, Path, URL, Secret:
			if f.Elem != "" {
				*errs = append(*errs, fmt.Sprintf("field %s: Elem is only for lists and maps", p))
			}
		case List, Map:
			switch f.elem() {
			case List, Map, Struct:
				*errs = append(*errs, fmt.Sprintf("field %s: element kind %s is not supported", p, f.elem()))
				continue
			}
			if !validKind(f.elem()) {
				*errs = append(*errs, fmt.Sprintf("field %s: unknown element kind %q", p, f.Elem))
				continue
			}
		case Struct:
			if len(f.Fields) == 0 {
				*errs = append(*errs, fmt.Sprintf("field %s: a struct needs fields", p))
			}
			if f.Default != "" || f.Required || len(f.Enum) > 0 || f.Min != nil || f.Max != nil {
				*errs = append(*errs, fmt.Sprintf("field %s: a struct takes no default, required, enum or bounds; set them on its fields", p))
			}
			validateFields(f.Fields, p, errs)
			continue
		default:
			*errs = append(*errs, fmt.Sprintf("field %s: unknown kind %q", p, f.Kind))
			continue
		}
		if len(f.Fields) > 0 {
			*errs = append(*errs, fmt.Sprintf("field %s: only a struct has fields", p))
		}
		if f.Min != nil && f.Max != nil && *f.Min > *f.Max {
			*errs = append(*errs, fmt.Sprintf("field %s: Min is greater than Max", p))
		}
		scalar := f
		if isContainer(f.Kind) {
			scalar = Field{Name: f.Name, Kind: f.elem(), Min: f.Min, Max: f.Max, AllowNonFinite: f.AllowNonFinite}
		}
		for _, e := range f.Enum {
			if _, msg := parseScalar(scalar, e); msg != "" {
				*errs = append(*errs, fmt.Sprintf("field %s: enum value: %s", p, hideIfSecret(f, msg)))
			}
		}
		if f.Default != "" && !f.Required {
			if _, msg := parseString(f, f.Default); msg != "" {
				*errs = append(*errs, fmt.Sprintf("field %s: default: %s", p, hideIfSecret(f, msg)))
			}
		}
	}
}

func validKind(k Kind) bool {
	switch k {
	case String, Int, Float, Bool, Duration, Path, URL, List, Map, Secret, Struct:
		return true
	}
	return false
}

func hideIfSecret(f Field, msg string) string {
	if f.IsSecret() {
		return "invalid secret value"
	}
	return msg
}

// joinPath joins field names with the nesting delimiter.
func joinPath(path, name string) string {
	if path == "" {
		return name
	}
	return path + "__" + name
}

// want describes what a value of kind k (with f's bounds) looks like: "an integer >= 1".
func want(f Field, k Kind) string {
	var s string
	switch k {
	case String:
		s = "a string"
	case Int:
		s = "an integer"
	case Float:
		s = "a number"
	case Bool:
		s = "a boolean (" + strings.Join(boolWords, ", ") + ")"
	case Duration:
		s = "a duration such as 90s, 1m30s or 2h (units ns, us, ms, s, m, h) or a number of seconds"
	case Path:
		s = "a path"
	case URL:
		s = "an absolute URL with a scheme, such as https://example.com/v1"
	case Secret:
		s = "a string"
	case List:
		s = "a JSON array of " + plural(f.elem())
	case Map:
		s = "a JSON object of " + plural(f.elem())
	case Struct:
		s = "a JSON object"
	default:
		s = string(k)
	}
	if k == Int || k == Float || k == Duration {
		s += bounds(f)
	}
	return s
}

func plural(k Kind) string {
	switch k {
	case Int:
		return "integers"
	case Float:
		return "numbers"
	case Bool:
		return "booleans"
	case Duration:
		return "durations"
	case Path:
		return "paths"
	case URL:
		return "URLs"
	default:
		return "strings"
	}
}

func bounds(f Field) string {
	num := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	if f.Kind == Duration || f.Elem == Duration {
		num = func(v float64) string { return secondsToDuration(v).String() }
	}
	switch {
	case f.Min != nil && f.Max != nil:
		return " between " + num(*f.Min) + " and " + num(*f.Max)
	case f.Min != nil:
		return " >= " + num(*f.Min)
	case f.Max != nil:
		return " <= " + num(*f.Max)
	}
	return ""
}
