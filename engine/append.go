package engine

import (
	"unsafe"

	"github.com/wurzel-dev/wurzel/third_party/template"
)

// appender makes append and push linear in a loop: sprig copies the whole list on every
// call, so a template that builds a list of a step's 10,000 inputs one append at a time
// copied 50 million items. A list that an append made is extended in place while it is
// the longest slice of its array handed out (no other list can see the new item: every
// other slice of the array is shorter, and nothing but append writes past a list's end);
// any other list is copied, as sprig does.
type appender struct {
	tips map[unsafe.Pointer][]any // array → the longest slice of it an append gave out
}

func (a *appender) push(push func(any, any) ([]any, error), list, v any) ([]any, error) {
	if l, ok := list.([]any); ok && len(l) > 0 {
		p := unsafe.Pointer(unsafe.SliceData(l))
		if tip, ok := a.tips[p]; ok && len(tip) == len(l) {
			if cap(l) > len(l) {
				r := append(l, v)
				a.tips[p] = r
				return r, nil
			}
			delete(a.tips, p) // full: the copy below takes over
		}
	}
	r, err := push(list, v)
	if err == nil && len(r) > 0 {
		if a.tips == nil {
			a.tips = map[unsafe.Pointer][]any{}
		}
		a.tips[unsafe.Pointer(unsafe.SliceData(r))] = r
	}
	return r, err
}

// appendFuncs replaces sprig's append, push, mustAppend and mustPush.
func appendFuncs(all, f template.FuncMap) {
	mustPush := all["mustPush"].(func(any, any) ([]any, error))
	a := &appender{}
	lenient := func(list, v any) []any {
		r, err := a.push(mustPush, list, v)
		if err != nil {
			panic(err) // as sprig's push does; the template reports it
		}
		return r
	}
	strict := func(list, v any) ([]any, error) { return a.push(mustPush, list, v) }
	f["append"], f["push"] = lenient, lenient
	f["mustAppend"], f["mustPush"] = strict, strict
}
