package settings

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
	// Enum, when set, lists the accepted values (compared after parsing).
	Enum []string
	// Min and Max bound Int and Float values when set.
	Min, Max *float64
}

// IsSecret reports whether the field's value must never be printed.
func (f Field) IsSecret() bool { return f.Kind == Secret }
