package engine

import (
	"fmt"
	"strings"
	"testing"

	"github.com/Masterminds/sprig/v3"
	"github.com/wurzel-dev/wurzel/third_party/template"
)

// TestRegexFuncsMatchSprig runs every cached regex function and sprig's own on the same
// calls, twice (compiling, then from the cache): results and errors must be the same.
func TestRegexFuncsMatchSprig(t *testing.T) {
	calls := []string{
		`{{ regexMatch "^[a-z]+$" "abc" }}`,
		`{{ regexMatch "^[a-z]+$" "ab1" }}`,
		`{{ regexMatch "(" "x" }}`,
		`{{ mustRegexMatch "^a" "abc" }}`,
		`{{ mustRegexMatch "(" "abc" }}`,
		`{{ regexFindAll "a." "a1 a2 a3" 2 }}`,
		`{{ regexFindAll "(" "a1" -1 }}`,
		`{{ mustRegexFindAll "a." "a1 a2 a3" -1 }}`,
		`{{ mustRegexFindAll "[" "a1" -1 }}`,
		`{{ regexFind "[0-9]+" "ab 123 45" }}`,
		`{{ regexFind "*" "x" }}`,
		`{{ mustRegexFind "[0-9]+" "ab 123" }}`,
		`{{ mustRegexFind "*" "x" }}`,
		`{{ regexReplaceAll "a(x*)b" "-ab-axxb-" "${1}W" }}`,
		`{{ regexReplaceAll "(" "x" "y" }}`,
		`{{ mustRegexReplaceAll "a(x*)b" "-ab-axxb-" "${1}W" }}`,
		`{{ mustRegexReplaceAll "(" "x" "y" }}`,
		`{{ regexReplaceAllLiteral "a(x*)b" "-ab-axxb-" "${1}" }}`,
		`{{ mustRegexReplaceAllLiteral "a(x*)b" "-ab-" "${1}" }}`,
		`{{ mustRegexReplaceAllLiteral "(" "x" "y" }}`,
		`{{ regexSplit "z+" "pizza" -1 }}`,
		`{{ regexSplit "(" "pizza" -1 }}`,
		`{{ mustRegexSplit "z+" "pizza" 1 }}`,
		`{{ mustRegexSplit "(" "pizza" 1 }}`,
	}
	exec := func(funcs template.FuncMap, src string) string {
		tmpl, err := template.New("t").Funcs(funcs).Parse(src)
		if err != nil {
			return "parse: " + err.Error()
		}
		var b strings.Builder
		if err := tmpl.Execute(&b, nil); err != nil {
			return "error: " + err.Error()
		}
		return b.String()
	}
	ours := funcMap(nil)
	theirs := template.FuncMap(sprig.TxtFuncMap())
	for _, call := range calls {
		want := exec(theirs, call)
		for round := range 2 {
			if got := exec(ours, call); got != want {
				t.Errorf("%s (round %d):\n got %s\nwant %s", call, round, got, want)
			}
		}
	}
}

// TestRegexCacheIsBounded compiles more distinct patterns than the cache holds: they all
// still work, and the cache stops growing.
func TestRegexCacheIsBounded(t *testing.T) {
	for i := range maxCachedRegexps + 50 {
		re, err := compileRegex(fmt.Sprintf("^x%d$", i))
		if err != nil || !re.MatchString(fmt.Sprintf("x%d", i)) {
			t.Fatalf("pattern %d: %v", i, err)
		}
	}
	regexCache.Lock()
	n := len(regexCache.m)
	regexCache.Unlock()
	if n > maxCachedRegexps {
		t.Fatalf("cache holds %d patterns, more than %d", n, maxCachedRegexps)
	}
}
