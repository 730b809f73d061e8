package engine

import (
	"fmt"
	"sort"
	"strings"
	"text/template/parse"

	"github.com/wurzel-dev/wurzel/third_party/template"
)

// definer remembers which source of a pack defines each named template: the files, each
// named by its path, the {{define}}s in them, and the output paths of pack.yaml (named
// path:TEMPLATE), parsed last. A name defined twice is an error: text/template would keep
// whichever it parsed last, so an override file could replace a partial of another file,
// or a file or an output path itself, unseen. To change a partial, override the file that
// defines it.
type definer map[string]Source

// parse parses src into root and records the templates it defines, found by comparing the
// parse trees of root's templates before and after (each file is parsed once).
func (d definer) parse(root *template.Template, src Source) error {
	if prev, ok := d[src.Path]; ok {
		return fmt.Errorf("%s defines %q, the name of %s: %s", describeSource(prev), src.Path, describeSource(src), howToChange(prev))
	}
	before := map[string]*parse.Tree{}
	for _, t := range root.Templates() {
		before[t.Name()] = t.Tree
	}
	if _, err := root.New(src.Path).Parse(string(src.Data)); err != nil {
		return err
	}
	d[src.Path] = src
	var names []string
	for _, t := range root.Templates() {
		if name := t.Name(); name != src.Path && t.Tree != nil && t.Tree != before[name] {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	for _, name := range names {
		if prev, ok := d[name]; ok {
			subject := src.Path // the message is about src already: its layer is said
			if strings.HasPrefix(src.Path, pathSource) {
				subject = "it"
			}
			if name == prev.Path {
				return fmt.Errorf("%s defines %q, the name of %s: %s", subject, name, describeSource(prev), howToChange(prev))
			}
			return fmt.Errorf("%s defines %q, which %s defines too: %s", subject, name, describeSource(prev), howToChange(prev))
		}
		d[name] = src
	}
	return nil
}

// pathSource is the prefix of the sources that are output paths.
const pathSource = "path:"

// describeSource names a source in messages: a file with its layer, or an output's path.
func describeSource(s Source) string {
	if out, ok := strings.CutPrefix(s.Path, pathSource); ok {
		return fmt.Sprintf("the path of output %s in pack.yaml", out)
	}
	return fmt.Sprintf("%s (%s)", s.Path, s.Layer)
}

// howToChange says how to change what a source defines.
func howToChange(s Source) string {
	if strings.HasPrefix(s.Path, pathSource) {
		return "change that path instead"
	}
	return "to change it, override " + s.Path + " itself"
}
