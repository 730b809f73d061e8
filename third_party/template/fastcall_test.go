// This file is not part of Go's text/template: see PATCH.md.

package template

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// probe describes its arguments, and panics when one of them is "panic".
func probe(args ...any) string {
	s := fmt.Sprintf("%#v", args)
	if slices.Contains(args, any("panic")) {
		panic("probe: " + s)
	}
	return s
}

// fail returns an error when one of args is "err".
func fail(args ...any) error {
	if slices.Contains(args, any("err")) {
		return errors.New("fail: " + fmt.Sprintf("%#v", args))
	}
	return nil
}

func mapProbe(m map[string]any, args ...any) map[string]any {
	out := map[string]any{"in": probe(append([]any{len(m), m == nil}, args...)...)}
	if m != nil {
		out["k"] = m["k"]
	}
	return out
}

// fastFuncs has a function of every signature fastCall knows, each using all of its
// arguments in its results, failing on "err" and panicking on "panic".
var fastFuncs = []any{
	func(a string) string { return probe(a) },
	func(a string) bool { return len(probe(a))%2 == 0 },
	func(a string) any { return []any{probe(a)} },
	func(a string) (string, error) { return probe(a), fail(a) },
	func(a, b string) string { return probe(a, b) },
	func(a, b string) bool { return len(probe(a, b))%2 == 0 },
	func(a, b, c string) string { return probe(a, b, c) },
	func(a string, b any) string { return probe(a, b) },
	func(a string, b any) bool { return len(probe(a, b))%2 == 0 },
	func(a string, b any) (string, error) { return probe(a, b), fail(a, b) },
	func(a string, b ...any) (string, error) { return probe(a, b, b == nil), fail(append(b, a)...) },
	func(a int, b string) (string, error) { return probe(a, b), fail(b) },
	func(a any) string { return probe(a) },
	func(a any) int { return len(probe(a)) },
	func(a any) any { return a },
	func(a any) (string, error) { return probe(a), fail(a) },
	func(a, b any) bool { return len(probe(a, b))%2 == 0 },
	func(a, b any) []any { return []any{probe(a, b), b} },
	func(a any, b ...any) any { return []any{probe(a, b), b} },
	func(a any, b ...any) int64 { return int64(len(probe(a, b))) },
	func(a any, b ...any) (any, error) { return b, fail(append(b, a)...) },
	func(a ...any) []any { probe(a...); return a },
	func(a ...any) map[string]any { return map[string]any{"a": a, "p": probe(a...)} },
	func(a ...any) int64 { return int64(len(probe(a...))) },
	func(a ...any) (any, error) { return probe(a...), fail(a...) },
	func(m map[string]any, k string) any { return mapProbe(m, k)["k"] },
	func(m map[string]any, k string) bool { return len(mapProbe(m, k))%2 == 0 },
	func(m map[string]any, k string, v any) map[string]any { return mapProbe(m, k, v) },
	func(m map[string]any, ms ...map[string]any) any { return mapProbe(m, len(ms), ms == nil) },
	func(ms ...map[string]any) []string { return []string{probe(len(ms), ms == nil)} },
	// The builtins with reflect.Value parameters, as they are.
	not,
	lt,
	eq,
}

// argCandidates are arguments for a parameter of type t, as text/template passes them: the
// first is the usual one, the others are the edge cases.
func argCandidates(t reflect.Type) []reflect.Value {
	switch t {
	case tString:
		return []reflect.Value{reflect.ValueOf("a"), reflect.ValueOf(""), reflect.ValueOf("err"), reflect.ValueOf("panic")}
	case tInt:
		return []reflect.Value{reflect.ValueOf(2), reflect.ValueOf(-1)}
	case tAny:
		// A map's element is a Value of kind Interface, as evalField gives it.
		m := reflect.ValueOf(map[string]any{"x": "y", "nil": nil, "err": "err"})
		return []reflect.Value{
			reflect.ValueOf(7), reflect.ValueOf("s"), m.MapIndex(reflect.ValueOf("x")),
			m.MapIndex(reflect.ValueOf("nil")), m.MapIndex(reflect.ValueOf("err")), reflect.Zero(tAny),
			reflect.ValueOf([]any{1, "x"}), reflect.ValueOf("panic"), reflect.ValueOf([]int(nil)),
		}
	case tMap:
		return []reflect.Value{reflect.ValueOf(map[string]any{"k": "v"}), reflect.ValueOf(map[string]any(nil))}
	case tValue:
		return []reflect.Value{
			reflect.ValueOf(reflect.ValueOf(1)), reflect.ValueOf(reflect.ValueOf("a")),
			reflect.ValueOf(reflect.ValueOf(1.5)), reflect.ValueOf(reflect.Value{}),
		}
	}
	panic("no candidates for " + t.String())
}

// argLists are the argument lists to call a function of type ft with: its fixed parameters
// and up to two variadic ones, each varied in turn through its candidates.
func argLists(ft reflect.Type) [][]reflect.Value {
	var params []reflect.Type
	for i := range ft.NumIn() {
		params = append(params, ft.In(i))
	}
	var shapes [][]reflect.Type
	if ft.IsVariadic() {
		fixed, elem := params[:len(params)-1], params[len(params)-1].Elem()
		for extra := range 3 {
			shape := slices.Clone(fixed)
			for range extra {
				shape = append(shape, elem)
			}
			shapes = append(shapes, shape)
		}
	} else {
		shapes = [][]reflect.Type{params}
	}
	var lists [][]reflect.Value
	for _, shape := range shapes {
		usual := make([]reflect.Value, len(shape))
		for i, t := range shape {
			usual[i] = argCandidates(t)[0]
		}
		lists = append(lists, usual)
		for i, t := range shape {
			for _, c := range argCandidates(t)[1:] {
				l := slices.Clone(usual)
				l[i] = c
				lists = append(lists, l)
			}
		}
	}
	return lists
}

// TestFastCallMatchesCall calls every fast signature with usual and edge-case arguments
// through fastCall and through reflect.Value.Call, and compares results, errors and
// panics.
func TestFastCallMatchesCall(t *testing.T) {
	for _, fn := range fastFuncs {
		fun := reflect.ValueOf(fn)
		for _, args := range argLists(fun.Type()) {
			name := fmt.Sprintf("%s%v", fun.Type(), args)
			if !fastCalls(fun, args) {
				t.Errorf("%s: not called by fastCall", name)
				continue
			}
			want, wantErr := reflectCall(fun, args)
			got, gotErr := safeCall(fun, args)
			if fmt.Sprint(gotErr) != fmt.Sprint(wantErr) {
				t.Errorf("%s: error %v, want %v", name, gotErr, wantErr)
			}
			if msg := sameValue(got, want); msg != "" {
				t.Errorf("%s: %s", name, msg)
			}
		}
	}
}

// reflectCall is safeCall without fastCall.
func reflectCall(fun reflect.Value, args []reflect.Value) (val reflect.Value, err error) {
	defer func() {
		if r := recover(); r != nil {
			if e, ok := r.(error); ok {
				err = e
			} else {
				err = fmt.Errorf("%v", r)
			}
		}
	}()
	ret := fun.Call(args)
	if len(ret) == 2 && !ret[1].IsNil() {
		return ret[0], ret[1].Interface().(error)
	}
	return ret[0], nil
}

type receiver struct{ prefix string }

func (r receiver) Describe(s string) (string, error) { return r.prefix + probe(s), fail(s) }

// TestFastCallMethodValue: evalField calls methods through safeCall too; fastCall calls a
// method value as reflect does, bound to its receiver.
func TestFastCallMethodValue(t *testing.T) {
	method := reflect.ValueOf(receiver{"r:"}).MethodByName("Describe")
	for _, arg := range argCandidates(tString) {
		args := []reflect.Value{arg}
		if !fastCalls(method, args) {
			t.Fatalf("%v: not called by fastCall", arg)
		}
		want, wantErr := reflectCall(method, args)
		got, gotErr := safeCall(method, args)
		if fmt.Sprint(gotErr) != fmt.Sprint(wantErr) {
			t.Errorf("%v: error %v, want %v", arg, gotErr, wantErr)
		}
		if msg := sameValue(got, want); msg != "" {
			t.Errorf("%v: %s", arg, msg)
		}
	}
}

// fastCalls reports whether fastCall makes the call of fun with args.
func fastCalls(fun reflect.Value, args []reflect.Value) (called bool) {
	defer func() {
		if recover() != nil {
			called = true // the function panicked: fastCall called it
		}
	}()
	_, _, called = fastCall(fun, args)
	return called
}

// sameValue says how got differs from want, as far as text/template can tell.
func sameValue(got, want reflect.Value) string {
	switch {
	case got.IsValid() != want.IsValid():
		return fmt.Sprintf("valid %v, want %v", got.IsValid(), want.IsValid())
	case !got.IsValid():
		return ""
	case got.Type() != want.Type() || got.Kind() != want.Kind():
		return fmt.Sprintf("type %s (%s), want %s (%s)", got.Type(), got.Kind(), want.Type(), want.Kind())
	case got.CanAddr() != want.CanAddr() || got.CanSet() != want.CanSet():
		return fmt.Sprintf("addressable %v settable %v, want %v %v", got.CanAddr(), got.CanSet(), want.CanAddr(), want.CanSet())
	case !reflect.DeepEqual(got.Interface(), want.Interface()):
		return fmt.Sprintf("%#v, want %#v", got.Interface(), want.Interface())
	}
	return ""
}

type namedMap map[string]any

type namedFunc func(string) string

// TestFastCallFallsBack lists calls fastCall must leave to reflect.Value.Call.
func TestFastCallFallsBack(t *testing.T) {
	str := reflect.ValueOf("a")
	tests := []struct {
		name string
		fun  reflect.Value
		args []reflect.Value
	}{
		{"unknown signature", reflect.ValueOf(func(float64) string { return "" }), []reflect.Value{reflect.ValueOf(1.5)}},
		{"named function type", reflect.ValueOf(namedFunc(func(s string) string { return s })), []reflect.Value{str}},
		{"nil function", reflect.ValueOf((func(string) string)(nil)), []reflect.Value{str}},
		{"named map type", reflect.ValueOf(func(m map[string]any, k string) bool { return false }),
			[]reflect.Value{reflect.ValueOf(namedMap{}), str}},
		{"wrong type", reflect.ValueOf(func(s string) string { return s }), []reflect.Value{reflect.ValueOf(1)}},
		{"too few arguments", reflect.ValueOf(func(a, b string) string { return a }), []reflect.Value{str}},
		{"too many arguments", reflect.ValueOf(func(a string) string { return a }), []reflect.Value{str, str}},
		{"too few before the variadic ones", reflect.ValueOf(func(a string, b ...any) (string, error) { return a, nil }), nil},
		{"invalid argument", reflect.ValueOf(func(a any) string { return "" }), []reflect.Value{{}}},
		{"unexported field", reflect.ValueOf(func(a any) string { return "" }),
			[]reflect.Value{reflect.ValueOf(struct{ x int }{}).Field(0)}},
	}
	for _, tt := range tests {
		if fastCalls(tt.fun, tt.args) {
			t.Errorf("%s: fastCall made the call", tt.name)
		}
	}
}

// TestFastCallSignaturesTested fails when fastCall knows a signature that fastFuncs lacks.
func TestFastCallSignaturesTested(t *testing.T) {
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, "fastcall.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var cases []string
	ast.Inspect(file, func(n ast.Node) bool {
		if c, ok := n.(*ast.CaseClause); ok {
			for _, e := range c.List {
				var b strings.Builder
				printer.Fprint(&b, fset, e)
				cases = append(cases, b.String())
			}
		}
		return true
	})
	tested := map[string]bool{}
	for _, fn := range fastFuncs {
		tested[strings.ReplaceAll(reflect.TypeOf(fn).String(), "interface {}", "any")] = true
	}
	if len(cases) < 30 {
		t.Fatalf("found %d cases in fastCall; is the file parsed right?", len(cases))
	}
	for _, c := range cases {
		if !tested[c] {
			t.Errorf("fastCall knows %s; add a function of that type to fastFuncs", c)
		}
	}
	if len(tested) != len(cases) {
		t.Errorf("fastFuncs has %d signatures, fastCall %d", len(tested), len(cases))
	}
}

type (
	slowInclude func(string, any) (string, error)
	slowUpper   func(string) string
)

// BenchmarkCall executes a template calling two functions per element of a range, called
// through fastCall and, with the functions given named types that fastCall does not know,
// through reflect.
func BenchmarkCall(b *testing.B) {
	include := func(name string, data any) (string, error) { return name, nil }
	funcs := map[string]FuncMap{
		"fast":    {"include": include, "upper": strings.ToUpper},
		"reflect": {"include": slowInclude(include), "upper": slowUpper(strings.ToUpper)},
	}
	steps := make([]any, 100)
	for i := range steps {
		steps[i] = map[string]any{"name": fmt.Sprint(i)}
	}
	data := map[string]any{"steps": steps}
	for _, name := range []string{"fast", "reflect"} {
		b.Run(name, func(b *testing.B) {
			tmpl := Must(New("t").Funcs(funcs[name]).Parse(
				`{{ range .steps }}{{ include "x" . | upper }}{{ if eq .name "b" }}b{{ end }}{{ end }}`))
			var out strings.Builder
			b.ReportAllocs()
			for b.Loop() {
				out.Reset()
				if err := tmpl.Execute(&out, data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
