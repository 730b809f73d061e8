package engine

import (
	"fmt"
	"sort"
	"text/template/parse"
)

// definer remembers which file of a pack defines each named template ({{define}}). A name
// defined by two files is an error: text/template would keep whichever it parsed last, so
// an override file could replace a partial of another file, unseen, by the order of names.
// To change a partial, override the file that defines it.
type definer map[string]Source

// add records the templates src defines.
func (d definer) add(src Source) error {
	trees := map[string]*parse.Tree{}
	t := parse.New(src.Path)
	t.Mode = parse.SkipFuncCheck
	if _, err := t.Parse(string(src.Data), "", "", trees); err != nil {
		return nil // the real parse reports it, with the functions known
	}
	names := make([]string, 0, len(trees))
	for name := range trees {
		if name != src.Path {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	for _, name := range names {
		if prev, ok := d[name]; ok {
			return fmt.Errorf("%s defines %q, which %s (%s) defines too: to change it, override %s itself", src.Path, name, prev.Path, prev.Layer, prev.Path)
		}
		d[name] = src
	}
	return nil
}
