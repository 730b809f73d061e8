package engine

import (
	"strings"
	"testing"

	"github.com/Masterminds/sprig/v3"
	"github.com/wurzel-dev/wurzel/third_party/template"
)

// TestAppendMatchesSprig runs lists built and shared every way with the render's append and
// push and with sprig's: the text must be the same (no list may see another's items).
func TestAppendMatchesSprig(t *testing.T) {
	for _, src := range []string{
		`{{ $l := list }}{{ range until 1000 }}{{ $l = append $l . }}{{ end }}{{ len $l }} {{ index $l 999 }} {{ index $l 0 }}`,
		`{{ $a := list 1 2 }}{{ $b := append $a 3 }}{{ $c := append $a 4 }}{{ $a }} {{ $b }} {{ $c }}`,
		`{{ $a := list 1 2 }}{{ $b := append $a 3 }}{{ $c := append $b 4 }}{{ $d := append $b 5 }}{{ $e := append $c 6 }}{{ $b }} {{ $c }} {{ $d }} {{ $e }}`,
		`{{ $a := append (list) 1 }}{{ $a = append $a 2 }}{{ $a = append $a 3 }}{{ $i := initial $a }}{{ $j := append $i 9 }}{{ $a }} {{ $i }} {{ $j }}`,
		`{{ $a := append (list) 1 }}{{ $a = append $a 2 }}{{ $s := slice $a 0 2 }}{{ $x := append $s 7 }}{{ $y := append $a 8 }}{{ $a }} {{ $s }} {{ $x }} {{ $y }}`,
		`{{ $a := append (list) 1 }}{{ $a = append $a 2 }}{{ $r := rest $a }}{{ $x := append $r 7 }}{{ $y := append $a 8 }}{{ $a }} {{ $r }} {{ $x }} {{ $y }}`,
		`{{ $s := splitList "," "a,b" }}{{ $t := push $s "c" }}{{ $u := mustPush $t "d" }}{{ $v := mustAppend $t "e" }}{{ $s }} {{ $t }} {{ $u }} {{ $v }}`,
		`{{ $d := dict "l" (list) }}{{ range until 5 }}{{ $_ := set $d "l" (append $d.l .) }}{{ end }}{{ $d.l }}`,
		`{{ $l := list }}{{ range until 3 }}{{ $m := append $l . }}{{ $l = append $m "x" }}{{ end }}{{ $l }}`,
		`{{ append 1 2 }}`,
		`{{ mustPush "s" 2 }}`,
	} {
		run := func(funcs template.FuncMap) string {
			tmpl, err := template.New("t").Funcs(funcs).Parse(src)
			if err != nil {
				t.Fatalf("%s: %v", src, err)
			}
			var b strings.Builder
			if err := tmpl.Execute(&b, nil); err != nil {
				return "error: " + err.Error()
			}
			return b.String()
		}
		want := run(template.FuncMap(sprig.TxtFuncMap()))
		if got := run(funcMap(nil)); got != want {
			t.Errorf("%s:\n got %s\nwant %s", src, got, want)
		}
	}
}
