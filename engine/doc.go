// Package engine renders backend template packs against a pipeline and merged values.
//
// A pack is a directory of text/template files: pack.yaml names its outputs, values.yaml
// holds the defaults of every value its templates read, *.tmpl files produce outputs and
// _*.tpl files hold partials. Load resolves the embedded packs and override directories
// file by file (an override directory's <pack>/<file> replaces the embedded file of the same
// path; its <name>/pack.yaml adds a pack). Templates are parsed once per pack, in path order,
// and executed with missingkey=error and a function allowlist that cannot read the
// environment, the clock, randomness or the network. Render holds every output in memory and
// checks it against its format; Write commits them all or nothing.
package engine
