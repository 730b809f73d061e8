package engine

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/wurzel-dev/wurzel/bench/gen"
	"github.com/wurzel-dev/wurzel/pipeline"
	"github.com/wurzel-dev/wurzel/templates"
	"github.com/wurzel-dev/wurzel/third_party/template"
	"github.com/wurzel-dev/wurzel/values"
)

// execMemo executes src against data with the render's functions, its memo on or off.
func execMemo(t *testing.T, src string, data Data, on bool) (string, error) {
	t.Helper()
	defer func(old bool) { memoize = old }(memoize)
	memoize = on
	g := &guard{memo: newMemo(data)}
	var tmpl *template.Template
	tmpl = template.New("t").Option("missingkey=error").Funcs(guardedFuncMap(func() *template.Template { return tmpl }, g))
	if _, err := tmpl.Parse(src); err != nil {
		t.Fatalf("parse %q: %v", src, err)
	}
	var b strings.Builder
	err := tmpl.Execute(&b, data)
	return b.String(), err
}

// TestMemoKeepsMeaning executes templates whose includes change what they are given, or
// read what others change, with and without the memo: the output must be the same.
func TestMemoKeepsMeaning(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"same include, same text",
			`{{ define "d" }}<{{ . }}>{{ end }}{{ range until 4 }}{{ include "d" "x" }}{{ end }}`, "<x><x><x><x>"},
		{"an include that changes its argument",
			`{{ define "inc" }}{{ $_ := set . "n" (add1 .n) }}{{ .n }}{{ end }}{{ $d := dict "n" 0 }}{{ range until 4 }}{{ include "inc" (dict "d" $d) | len }}{{ include "inc2" $d }}{{ end }}` +
				`{{ define "inc2" }}{{ $_ := set . "n" (add1 .n) }}{{ .n }}{{ end }}`, ""},
		{"an include that changes a list's map",
			`{{ define "push" }}{{ $m := index . 0 }}{{ $_ := set $m "n" (add1 $m.n) }}{{ $m.n }}{{ end }}{{ $m := dict "n" 0 }}{{ range until 4 }}{{ include "push" (list $m) }}{{ end }}`, "1234"},
		{"an include that changes the values",
			`{{ define "bump" }}{{ $_ := set .Values.x "n" (add1 .Values.x.n) }}{{ .Values.x.n }}{{ end }}{{ range until 4 }}{{ include "bump" $ }}{{ end }}`, "1234"},
		{"the values changed between two includes of the data",
			`{{ define "show" }}{{ .Values.x.s }}{{ end }}{{ range list "a" "b" "b" "c" }}{{ $_ := set $.Values.x "s" . }}{{ include "show" $ }}{{ include "show" $ }}{{ end }}`, "aabbbbcc"},
		{"a nested map of the values changed by merge",
			`{{ define "show" }}{{ .Values.x.inner.v }}{{ end }}{{ $l := dict "inner" .Values.x.inner }}{{ range list "1" "2" "2" "3" }}{{ $_ := merge $l (dict "inner" (dict "v" .)) }}{{ include "show" $ }}{{ include "show" $ }}{{ end }}`, ""},
		{"a map made in the include, changed there",
			`{{ define "local" }}{{ $d := dict }}{{ $_ := set $d "k" . }}{{ $d.k }}{{ end }}{{ range until 4 }}{{ include "local" "v" }}{{ end }}`, "vvvv"},
		{"a map made by the caller, changed by a nested include",
			`{{ define "outer" }}{{ $d := dict "n" 0 }}{{ include "inner" $d }}{{ include "inner" $d }}{{ $d.n }}{{ end }}{{ define "inner" }}{{ $_ := set . "n" (add1 .n) }}{{ end }}{{ range until 3 }}{{ include "outer" "x" }}{{ end }}`, "222"},
		{"sortAlpha does not sort the data",
			`{{ define "s" }}{{ sortAlpha .Needs | join "," }}{{ end }}{{ range .Pipeline.Steps }}{{ include "s" . }};{{ .Needs | join "," }}|{{ end }}`, ";|;|a,z;z,a|"},
		{"deep recursion near the cap",
			`{{ define "r" }}{{ if lt . 95 }}{{ include "r" (add1 .) }}{{ else }}{{ . }}{{ end }}{{ end }}{{ range until 3 }}{{ include "r" 0 }}{{ end }}{{ include "r2" 0 }}` +
				`{{ define "r2" }}{{ if lt . 10 }}{{ include "r2" (add1 .) }}{{ else }}{{ include "r" 0 }}{{ end }}{{ end }}`, ""},
	}
	p, err := pipeline.Parse([]byte(`apiVersion: wurzel.dev/v1alpha1
kind: Pipeline
metadata: {name: m}
spec:
  steps:
    - {name: z, command: [x]}
    - {name: a, command: [x]}
    - {name: b, command: [x], dependsOn: [z, a]}
`), "pipeline.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := func() Data {
				v := values.Values{"x": map[string]any{"n": int64(0), "s": "", "inner": map[string]any{"v": "0"}}}
				return NewData(&Pack{Name: "p"}, Input{Pipeline: p, Values: v})
			}
			without, errWithout := execMemo(t, tt.src, data(), false)
			with, errWith := execMemo(t, tt.src, data(), true)
			if fmt.Sprint(errWith) != fmt.Sprint(errWithout) || with != without {
				t.Fatalf("with the memo: %q, %v\nwithout:       %q, %v", with, errWith, without, errWithout)
			}
			if tt.want != "" && with != tt.want {
				t.Errorf("got %q, want %q", with, tt.want)
			}
		})
	}
}

// TestMemoSameRender renders generated pipelines for every backend with and without the
// memo: the files must be byte for byte the same.
func TestMemoSameRender(t *testing.T) {
	lib, err := Load(templates.FS)
	if err != nil {
		t.Fatal(err)
	}
	for _, shape := range gen.Shapes {
		src := gen.Pipeline(gen.Options{Steps: 60, Shape: shape, Seed: 2, Schedule: "*/30 * * * *"})
		p, err := pipeline.Parse(src, "pipeline.yaml")
		if err != nil {
			t.Fatal(err)
		}
		job := &Job{Pipeline: p, Source: src, Library: lib, Backends: lib.Names(), Version: "dev", Image: "ghcr.io/wurzel-dev/wurzel:latest",
			Sets: []SetExpr{{Kind: values.SetString, Expr: "argo.container.env.A=1"}, {Kind: values.SetString, Expr: "githubActions.env.B=2"}}}
		render := func(on bool) []File {
			defer func(old bool) { memoize = old }(memoize)
			memoize = on
			res, err := job.Run(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			return res.Files
		}
		with, without := render(true), render(false)
		if len(with) != len(without) {
			t.Fatalf("%s: %d files with the memo, %d without", shape, len(with), len(without))
		}
		for i := range with {
			if with[i].Path != without[i].Path || !bytes.Equal(with[i].Body, without[i].Body) {
				t.Errorf("%s: %s differs with the memo", shape, with[i].Path)
			}
		}
	}
}
