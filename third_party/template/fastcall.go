// This file is not part of Go's text/template: see PATCH.md.

package template

import "reflect"

// fastCall calls fun with args as fun.Call(args) would, when fun has one of the signatures
// listed here and every argument already has its parameter's exact type: ok is false
// otherwise, and the caller calls through reflect. reflect.Value.Call allocates its frame,
// the results and the variadic slice, and was the largest single cost of executing wurzel's
// template packs; the signatures are those their functions (sprig's, wurzel's and the
// builtins) are called with most often.
//
// The results are the values fun.Call would give: a result of interface type is a Value of
// kind Interface, and no result is addressable. A panic in fun reaches the caller's recover,
// as with fun.Call.
func fastCall(fun reflect.Value, args []reflect.Value) (v reflect.Value, err error, ok bool) {
	if fun.Kind() != reflect.Func || fun.IsNil() || !fun.CanInterface() {
		return reflect.Value{}, nil, false
	}
	switch f := fun.Interface().(type) {
	case func(string) string:
		if fits(args, false, tString) {
			return reflect.ValueOf(f(args[0].String())), nil, true
		}
	case func(string) bool:
		if fits(args, false, tString) {
			return reflect.ValueOf(f(args[0].String())), nil, true
		}
	case func(string) any:
		if fits(args, false, tString) {
			return anyValue(f(args[0].String())), nil, true
		}
	case func(string) (string, error):
		if fits(args, false, tString) {
			r, err := f(args[0].String())
			return reflect.ValueOf(r), err, true
		}
	case func(string, string) string:
		if fits(args, false, tString, tString) {
			return reflect.ValueOf(f(args[0].String(), args[1].String())), nil, true
		}
	case func(string, string) bool:
		if fits(args, false, tString, tString) {
			return reflect.ValueOf(f(args[0].String(), args[1].String())), nil, true
		}
	case func(string, string, string) string:
		if fits(args, false, tString, tString, tString) {
			return reflect.ValueOf(f(args[0].String(), args[1].String(), args[2].String())), nil, true
		}
	case func(string, any) string:
		if fits(args, false, tString, tAny) {
			return reflect.ValueOf(f(args[0].String(), args[1].Interface())), nil, true
		}
	case func(string, any) bool:
		if fits(args, false, tString, tAny) {
			return reflect.ValueOf(f(args[0].String(), args[1].Interface())), nil, true
		}
	case func(string, any) (string, error):
		if fits(args, false, tString, tAny) {
			r, err := f(args[0].String(), args[1].Interface())
			return reflect.ValueOf(r), err, true
		}
	case func(string, ...any) (string, error):
		if fits(args, true, tString, tAny) {
			r, err := f(args[0].String(), anys(args[1:])...)
			return reflect.ValueOf(r), err, true
		}
	case func(int, string) (string, error):
		if fits(args, false, tInt, tString) {
			r, err := f(int(args[0].Int()), args[1].String())
			return reflect.ValueOf(r), err, true
		}
	case func(any) string:
		if fits(args, false, tAny) {
			return reflect.ValueOf(f(args[0].Interface())), nil, true
		}
	case func(any) int:
		if fits(args, false, tAny) {
			return reflect.ValueOf(f(args[0].Interface())), nil, true
		}
	case func(any) any:
		if fits(args, false, tAny) {
			return anyValue(f(args[0].Interface())), nil, true
		}
	case func(any) (string, error):
		if fits(args, false, tAny) {
			r, err := f(args[0].Interface())
			return reflect.ValueOf(r), err, true
		}
	case func(any, any) bool:
		if fits(args, false, tAny, tAny) {
			return reflect.ValueOf(f(args[0].Interface(), args[1].Interface())), nil, true
		}
	case func(any, any) []any:
		if fits(args, false, tAny, tAny) {
			return reflect.ValueOf(f(args[0].Interface(), args[1].Interface())), nil, true
		}
	case func(any, ...any) any:
		if fits(args, true, tAny, tAny) {
			return anyValue(f(args[0].Interface(), anys(args[1:])...)), nil, true
		}
	case func(any, ...any) int64:
		if fits(args, true, tAny, tAny) {
			return reflect.ValueOf(f(args[0].Interface(), anys(args[1:])...)), nil, true
		}
	case func(any, ...any) (any, error):
		if fits(args, true, tAny, tAny) {
			r, err := f(args[0].Interface(), anys(args[1:])...)
			return anyValue(r), err, true
		}
	case func(...any) []any:
		if fits(args, true, tAny) {
			return reflect.ValueOf(f(anys(args)...)), nil, true
		}
	case func(...any) map[string]any:
		if fits(args, true, tAny) {
			return reflect.ValueOf(f(anys(args)...)), nil, true
		}
	case func(...any) int64:
		if fits(args, true, tAny) {
			return reflect.ValueOf(f(anys(args)...)), nil, true
		}
	case func(...any) (any, error):
		if fits(args, true, tAny) {
			r, err := f(anys(args)...)
			return anyValue(r), err, true
		}
	case func(map[string]any, string) any:
		if fits(args, false, tMap, tString) {
			return anyValue(f(args[0].Interface().(map[string]any), args[1].String())), nil, true
		}
	case func(map[string]any, string) bool:
		if fits(args, false, tMap, tString) {
			return reflect.ValueOf(f(args[0].Interface().(map[string]any), args[1].String())), nil, true
		}
	case func(map[string]any, string, any) map[string]any:
		if fits(args, false, tMap, tString, tAny) {
			return reflect.ValueOf(f(args[0].Interface().(map[string]any), args[1].String(), args[2].Interface())), nil, true
		}
	case func(map[string]any, ...map[string]any) any:
		if fits(args, true, tMap, tMap) {
			return anyValue(f(args[0].Interface().(map[string]any), mapArgs(args[1:])...)), nil, true
		}
	case func(...map[string]any) []string:
		if fits(args, true, tMap) {
			return reflect.ValueOf(f(mapArgs(args)...)), nil, true
		}
	// The builtins not, eq, ne, lt, le, gt and ge take their arguments as reflect.Values.
	case func(reflect.Value) bool:
		if fits(args, false, tValue) {
			return reflect.ValueOf(f(args[0].Interface().(reflect.Value))), nil, true
		}
	case func(reflect.Value, reflect.Value) (bool, error):
		if fits(args, false, tValue, tValue) {
			r, err := f(args[0].Interface().(reflect.Value), args[1].Interface().(reflect.Value))
			return reflect.ValueOf(r), err, true
		}
	case func(reflect.Value, ...reflect.Value) (bool, error):
		if fits(args, true, tValue, tValue) {
			rest := make([]reflect.Value, len(args)-1)
			for i, a := range args[1:] {
				rest[i] = a.Interface().(reflect.Value)
			}
			r, err := f(args[0].Interface().(reflect.Value), rest...)
			return reflect.ValueOf(r), err, true
		}
	}
	return reflect.Value{}, nil, false
}

var (
	tString = reflect.TypeFor[string]()
	tInt    = reflect.TypeFor[int]()
	tAny    = reflect.TypeFor[any]()
	tMap    = reflect.TypeFor[map[string]any]()
	tValue  = reflect.TypeFor[reflect.Value]()
)

// fits reports whether args can be passed as they are to parameters of the types params,
// the last of which repeats when variadic: an argument for a parameter of type any may be
// of any type, every other argument must be of its parameter's type exactly (a named map
// type is assignable to map[string]any, but the type assertions above would fail on it).
func fits(args []reflect.Value, variadic bool, params ...reflect.Type) bool {
	if variadic && len(args) < len(params)-1 || !variadic && len(args) != len(params) {
		return false
	}
	for i, a := range args {
		if !a.IsValid() || !a.CanInterface() {
			return false
		}
		if p := params[min(i, len(params)-1)]; p != tAny && a.Type() != p {
			return false
		}
	}
	return true
}

// anyValue is the Value fun.Call gives for a result of type any: of kind Interface (unlike
// reflect.ValueOf(v)), and not addressable (unlike reflect.ValueOf(&v).Elem()).
func anyValue(v any) reflect.Value {
	return reflect.ValueOf([1]any{v}).Index(0)
}

// anys, mapArgs: the variadic slice fun.Call would make, never nil.
func anys(args []reflect.Value) []any {
	s := make([]any, len(args))
	for i, a := range args {
		s[i] = a.Interface()
	}
	return s
}

func mapArgs(args []reflect.Value) []map[string]any {
	s := make([]map[string]any, len(args))
	for i, a := range args {
		s[i] = a.Interface().(map[string]any)
	}
	return s
}
