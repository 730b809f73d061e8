package settings

import (
	"regexp"
	"sort"
	"strings"
)

// AllowExtraVar is the variable that, set to a true value, lets unknown variables under a
// step's prefix pass, as in Python Wurzel.
const AllowExtraVar = "ALLOW_EXTRA_SETTINGS"

// Options change how FromEnv reads settings.
type Options struct {
	// Defaults are the values written in pipeline.yaml or given with --default, keyed by
	// field path (BATCH_SIZE, or SUB__FIELD for a nested field; a Struct field may also take
	// a JSON object). Every variable in the environment wins over them.
	Defaults map[string]string
	// DefaultsSource names the defaults in errors, before the field path: "--default"
	// (the default) gives "--default BATCH_SIZE: want an integer, got "x"".
	DefaultsSource string
	// AllowExtra ignores unknown variables under the prefix, unknown keys in JSON objects
	// and unknown defaults. ALLOW_EXTRA_SETTINGS=true in the environment does the same.
	AllowExtra bool
	// Unprefixed reads FIELD instead of PREFIX__FIELD, like Python Wurzel's
	// --no-encapsulate-env. There is no whole-step JSON object and no check for unknown
	// variables then: the whole environment is the step's namespace.
	Unprefixed bool
}

var prefixSyntax = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// FromEnv builds the settings described by fields from an environment given as KEY=VALUE
// strings (os.Environ's format; when a key occurs twice the last one wins).
//
// For each field, the first of these that is set gives its value:
//
//  1. the variable PREFIX__FIELD (PREFIX__SUB__FIELD for a nested field);
//  2. the key FIELD in a JSON object in PREFIX__SUB, then in PREFIX (nearest first);
//  3. Options.Defaults["FIELD"] (or "SUB__FIELD"), then the key in a JSON object default;
//  4. Field.Default.
//
// A required field that none of them sets is an error, and so are unknown variables under
// the prefix (with a did-you-mean), two variables that differ only in case, and values that
// do not parse. A set-but-empty variable is a value: valid for string and secret fields,
// invalid for every other kind. Optional fields with no value and no default are absent
// from the result (string and secret fields get ""). Variables without the prefix are never
// read, except with Options.Unprefixed.
//
// The error is a *Error holding every problem at once; neither it nor the returned Values
// ever print a secret's value. Invalid field definitions give a plain error.
func FromEnv(environ []string, prefix string, fields []Field, opts Options) (Values, error) {
	if err := ValidateFields(fields); err != nil {
		return nil, err
	}
	r := &reader{
		env:        map[string]string{},
		prefix:     prefix,
		unprefixed: opts.Unprefixed,
		defaults:   opts.Defaults,
		defSource:  opts.DefaultsSource,
		allowExtra: opts.AllowExtra,
	}
	if r.defSource == "" {
		r.defSource = "--default"
	}
	if !opts.Unprefixed && !prefixSyntax.MatchString(prefix) {
		r.ps.add("env prefix "+quote(prefix), CodeInvalid, "want letters, digits and underscores, not starting with a digit")
		return nil, r.ps.err()
	}
	for _, kv := range environ {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			continue
		}
		r.env[k] = v
	}
	if s, ok := r.env[AllowExtraVar]; ok {
		b, ok := ParseBool(s)
		if !ok {
			r.ps.add("environment variable "+AllowExtraVar, CodeInvalid, "want %s, got %s", want(Field{}, Bool), quote(s))
		}
		r.allowExtra = r.allowExtra || b
	}

	var envBlobs []blob
	if !r.unprefixed {
		if s, ok := r.env[prefix]; ok {
			if b, ok := r.decodeBlob("environment variable "+prefix, s, Field{Kind: Struct, Fields: fields}); ok {
				envBlobs = append(envBlobs, b)
			}
		}
	}
	vals := r.fields(fields, "", envBlobs, nil)
	if !r.unprefixed {
		r.checkEnv(fields)
	}
	r.checkDefaults(fields)
	if err := r.ps.err(); err != nil {
		return nil, err
	}
	return vals, nil
}

// reader holds the state of one FromEnv call.
type reader struct {
	env        map[string]string
	prefix     string
	unprefixed bool
	defaults   map[string]string
	defSource  string
	allowExtra bool
	ps         problems
}

// blob is a JSON object that gives values to the fields of one level.
type blob struct {
	obj    map[string]any
	source string // "environment variable SIMPLESPLITTERSTEP"
	keys   string // the key path inside it, "" at its top
}

// label names one key of the blob in errors.
func (b blob) label(key string) string {
	return b.source + " (JSON key " + strings.ReplaceAll(joinPath(b.keys, key), "__", ".") + ")"
}

// varName is the environment variable of a field path.
func (r *reader) varName(path string) string {
	if r.unprefixed {
		return path
	}
	return r.prefix + "__" + path
}

// decodeBlob parses a JSON object that sets the fields of the Struct f.
func (r *reader) decodeBlob(source, s string, f Field) (blob, bool) {
	v, err := decodeJSON(s, anySecret(f.Fields))
	if err != nil {
		r.ps.add(source, CodeInvalid, "want a JSON object: %v", err)
		return blob{}, false
	}
	obj, ok := v.(map[string]any)
	if !ok {
		r.ps.add(source, CodeInvalid, "want a JSON object, got %s", describeJSON(v, false))
		return blob{}, false
	}
	return blob{obj: obj, source: source}, true
}

// fields reads one level of fields; path is the level's field path ("" at the top).
func (r *reader) fields(fields []Field, path string, envBlobs, defBlobs []blob) Values {
	vals := Values{}
	for _, f := range fields {
		p := joinPath(path, f.Name)
		name := r.varName(p)
		if f.Kind == Struct {
			var ce, cd []blob
			if s, ok := r.env[name]; ok {
				if b, ok := r.decodeBlob("environment variable "+name, s, f); ok {
					ce = append(ce, b)
				}
			}
			ce = append(ce, r.childBlobs(envBlobs, f)...)
			if s, ok := r.defaults[p]; ok {
				if b, ok := r.decodeBlob(r.defSource+" "+p, s, f); ok {
					cd = append(cd, b)
				}
			}
			cd = append(cd, r.childBlobs(defBlobs, f)...)
			vals[f.Name] = r.fields(f.Fields, p, ce, cd)
			continue
		}
		source, raw, isJSON, found := r.lookup(f, p, name, envBlobs, defBlobs)
		if !found {
			switch {
			case f.Required:
				r.ps.add("environment variable "+name, CodeMissing, "missing required setting (want %s)", want(f, f.Kind))
			case f.Kind == String:
				vals[f.Name] = ""
			case f.Kind == Secret:
				vals[f.Name] = SecretString("")
			}
			continue
		}
		var v any
		var msg string
		if isJSON {
			v, msg = parseJSON(f, raw)
		} else {
			v, msg = parseString(f, raw.(string))
		}
		if msg != "" {
			r.ps.add(source, CodeInvalid, "%s", msg)
			continue
		}
		vals[f.Name] = v
	}
	for _, b := range envBlobs {
		r.checkKeys(b, fields)
	}
	for _, b := range defBlobs {
		r.checkKeys(b, fields)
	}
	return vals
}

// lookup finds the value of a leaf field by precedence (see FromEnv).
func (r *reader) lookup(f Field, path, name string, envBlobs, defBlobs []blob) (source string, raw any, isJSON, found bool) {
	if s, ok := r.env[name]; ok {
		return "environment variable " + name, s, false, true
	}
	for _, b := range envBlobs {
		if v, ok := b.obj[f.Name]; ok {
			return b.label(f.Name), v, true, true
		}
	}
	if s, ok := r.defaults[path]; ok {
		return r.defSource + " " + path, s, false, true
	}
	for _, b := range defBlobs {
		if v, ok := b.obj[f.Name]; ok {
			return b.label(f.Name), v, true, true
		}
	}
	if !f.Required && f.Default != "" {
		return "default of " + path, f.Default, false, true
	}
	return "", nil, false, false
}

// childBlobs returns the objects that blobs hold for the Struct field f.
func (r *reader) childBlobs(blobs []blob, f Field) []blob {
	var out []blob
	for _, b := range blobs {
		v, ok := b.obj[f.Name]
		if !ok {
			continue
		}
		obj, ok := v.(map[string]any)
		if !ok {
			r.ps.add(b.label(f.Name), CodeInvalid, "want a JSON object, got %s", describeJSON(v, !anySecret(f.Fields)))
			continue
		}
		out = append(out, blob{obj: obj, source: b.source, keys: joinPath(b.keys, f.Name)})
	}
	return out
}

// checkKeys reports keys of b that no field has.
func (r *reader) checkKeys(b blob, fields []Field) {
	names := fieldNames(fields)
	keys := make([]string, 0, len(b.obj))
	for k := range b.obj {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if contains(names, k) {
			continue
		}
		if exact := equalFold(names, k); exact != "" {
			r.ps.add(b.label(k), CodeUnknown, "unknown key; names are case-sensitive (did you mean %s?)", exact)
			continue
		}
		if r.allowExtra {
			continue
		}
		r.ps.add(b.label(k), CodeUnknown, "unknown key%s", hint(k, names))
	}
}

// checkEnv reports variables under the prefix that no field reads.
func (r *reader) checkEnv(fields []Field) {
	known := map[string]bool{r.prefix: true}
	for _, p := range paths(fields, "") {
		known[r.varName(p)] = true
	}
	knownUpper := map[string]string{}
	var candidates []string
	for k := range known {
		knownUpper[strings.ToUpper(k)] = k
		if k != r.prefix {
			candidates = append(candidates, strings.TrimPrefix(k, r.prefix+"__"))
		}
	}
	up := strings.ToUpper(r.prefix)
	var names []string // the variables under the prefix, in any case
	for k := range r.env {
		if len(k) >= len(up) && strings.EqualFold(k[:len(up)], up) && !known[k] {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	for _, k := range names {
		ku := strings.ToUpper(k)
		if ku != up && !strings.HasPrefix(ku, up+"__") {
			continue
		}
		source := "environment variable " + k
		if exact, ok := knownUpper[ku]; ok {
			if _, both := r.env[exact]; both {
				r.ps.add(source, CodeConflict, "set twice in different case, also as %s; remove one", exact)
			} else {
				r.ps.add(source, CodeUnknown, "unknown variable; names are case-sensitive (did you mean %s?)", exact)
			}
			continue
		}
		if r.allowExtra {
			continue
		}
		field := strings.TrimPrefix(ku[len(up):], "__")
		switch s := suggestName(field, candidates); {
		case s != "":
			r.ps.add(source, CodeUnknown, "unknown setting (did you mean %s?)", r.varName(s))
		case len(candidates) > 0:
			sort.Strings(candidates)
			r.ps.add(source, CodeUnknown, "unknown setting of %s (known: %s); set %s=true to ignore unknown settings",
				r.prefix, strings.Join(candidates, ", "), AllowExtraVar)
		default:
			r.ps.add(source, CodeUnknown, "unknown setting: %s has no settings; set %s=true to ignore unknown settings",
				r.prefix, AllowExtraVar)
		}
	}
}

// checkDefaults reports defaults that no field reads.
func (r *reader) checkDefaults(fields []Field) {
	all := paths(fields, "")
	keys := make([]string, 0, len(r.defaults))
	for k := range r.defaults {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if contains(all, k) {
			continue
		}
		source := r.defSource + " " + k
		if exact := equalFold(all, k); exact != "" {
			r.ps.add(source, CodeUnknown, "unknown setting; names are case-sensitive (did you mean %s?)", exact)
			continue
		}
		if r.allowExtra {
			continue
		}
		r.ps.add(source, CodeUnknown, "unknown setting%s", hint(k, all))
	}
}

// hint is " (did you mean X?)" or " (known: A, B)" for an unknown name.
func hint(name string, known []string) string {
	if s := suggestName(name, known); s != "" {
		return " (did you mean " + s + "?)"
	}
	if len(known) == 0 {
		return " (there are no settings here)"
	}
	sorted := append([]string(nil), known...)
	sort.Strings(sorted)
	return " (known: " + strings.Join(sorted, ", ") + ")"
}

// paths lists the field paths of every field and nested field.
func paths(fields []Field, path string) []string {
	var out []string
	for _, f := range fields {
		p := joinPath(path, f.Name)
		out = append(out, p)
		if f.Kind == Struct {
			out = append(out, paths(f.Fields, p)...)
		}
	}
	return out
}

func fieldNames(fields []Field) []string {
	out := make([]string, len(fields))
	for i, f := range fields {
		out[i] = f.Name
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// equalFold returns the entry of list that equals s ignoring case, or "".
func equalFold(list []string, s string) string {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return x
		}
	}
	return ""
}

// anySecret reports whether a field, at any depth, is a secret.
func anySecret(fields []Field) bool {
	for _, f := range fields {
		if f.IsSecret() || (f.Kind == Struct && anySecret(f.Fields)) {
			return true
		}
	}
	return false
}
