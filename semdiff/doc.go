// Package semdiff compares rendered files by meaning. YAML is compared as data: key order,
// quoting, comments and layout do not count, each change is reported at its path
// (spec.templates[2].container.image: a → b), lists of named items are matched by name, and
// Kubernetes documents by kind and name. Other files get a line diff. The generated-file
// header is understood: a file whose only change is its header is reported as such.
// Values that look like secrets are masked in every output (package lint/secret).
package semdiff
