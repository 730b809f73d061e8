package settings

// Leaf is one setting that holds a value (a field that is not a Struct), with its field
// path below the step.
type Leaf struct {
	// Path is BATCH_SIZE, or SUB__FIELD for a field nested in the Struct SUB.
	Path  string
	Field Field
}

// Var returns the leaf's environment variable under prefix: PREFIX__SUB__FIELD.
func (l Leaf) Var(prefix string) string {
	if prefix == "" {
		return l.Path
	}
	return prefix + "__" + l.Path
}

// Leaves lists the settings that hold values, depth-first in declaration order.
func Leaves(fields []Field) []Leaf {
	var out []Leaf
	var walk func(fields []Field, path string)
	walk = func(fields []Field, path string) {
		for _, f := range fields {
			p := joinPath(path, f.Name)
			if f.Kind == Struct {
				walk(f.Fields, p)
				continue
			}
			out = append(out, Leaf{Path: p, Field: f})
		}
	}
	walk(fields, "")
	return out
}

// RequiredFirst returns the required leaves, then the others, each group in its order.
func RequiredFirst(leaves []Leaf) []Leaf {
	out := make([]Leaf, 0, len(leaves))
	for _, l := range leaves {
		if l.Field.Required {
			out = append(out, l)
		}
	}
	for _, l := range leaves {
		if !l.Field.Required {
			out = append(out, l)
		}
	}
	return out
}

// DisplayDefault formats a field's default for `wurzel inspect` and `wurzel env`: "" when
// there is none (or the field is required), *** for a secret that has one.
func DisplayDefault(f Field) string {
	switch {
	case f.Required || f.Default == "":
		return ""
	case f.IsSecret():
		return redacted
	default:
		return f.Default
	}
}
