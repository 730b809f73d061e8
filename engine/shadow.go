package engine

import (
	"fmt"
	"sort"
	"text/template"
	"text/template/parse"
)

// definer remembers which file of a pack defines each named template ({{define}}). A name
// defined by two files is an error: text/template would keep whichever it parsed last, so
// an override file could replace a partial of another file, unseen, by the order of names.
// To change a partial, override the file that defines it.
type definer map[string]Source

// parse parses src into root and records the templates it defines, found by comparing the
// parse trees of root's templates before and after (each file is parsed once).
func (d definer) parse(root *template.Template, src Source) error {
	before := map[string]*parse.Tree{}
	for _, t := range root.Templates() {
		before[t.Name()] = t.Tree
	}
	if _, err := root.New(src.Path).Parse(string(src.Data)); err != nil {
		return err
	}
	var names []string
	for _, t := range root.Templates() {
		if name := t.Name(); name != src.Path && t.Tree != nil && t.Tree != before[name] {
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
