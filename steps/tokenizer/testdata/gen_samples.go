//go:build ignore

// gen_samples writes samples.json: random strings built from pieces that exercise every
// alternative of the split patterns. reference.js then encodes them with tiktoken.
package main

import (
	"encoding/json"
	"math/rand"
	"os"
	"strings"
)

var words = []string{
	"the", "Wurzel", "pipeline", "splits", "Dokumente", "größer", "naïve", "café", "日本語", "テキスト",
	"中文", "🙂", "emoji👍🏽", "don't", "I'M", "we'll", "they've", "WE'RE", "x=1;", "func()", "{", "}",
	"```go", "|", "---", "#", "##", "1234567", "3.14159", "  ", "\t", "\n", "\n\n", "\r\n", "   \n",
	"ſ's", "KELVIN K", "http://example.com/a?b=c", "*bold*", "_it_", "[link](x)", "ʼs", "'S", "'Re",
	"\u00a0", "\u200b", "Ω", "ǅ", "ﬁ", "a\u0301", "१२३", "٣٤٥", "HTTPServer", "camelCase", "XMLHttp",
	"ÄÖÜ", "Straße", "..//", "//", "\u3000", "\u2028", "<|endoftext|>", "ǈa", "ʰʰ", "\u0301\u0301",
	"ⅫⅪ", "²³", "'", "''", "'ll've", "\v", "\f", "\u0085",
}

func main() {
	r := rand.New(rand.NewSource(7))
	var out []string
	for i := 0; i < 1200; i++ {
		var b strings.Builder
		for j, n := 0, 1+r.Intn(24); j < n; j++ {
			b.WriteString(words[r.Intn(len(words))])
			switch r.Intn(4) {
			case 0:
				b.WriteString(" ")
			case 1:
				b.WriteString(strings.Repeat(" ", r.Intn(4)))
			case 2:
				b.WriteString([]string{".", ",", "!", "?", "\n", ":", "/"}[r.Intn(7)])
			}
		}
		out = append(out, b.String())
	}
	for i := 0; i < 300; i++ {
		rs := make([]rune, 1+r.Intn(20))
		for j := range rs {
			switch r.Intn(3) {
			case 0:
				rs[j] = rune(32 + r.Intn(95))
			case 1:
				rs[j] = rune(r.Intn(0x3000))
			default:
				rs[j] = []rune(" \n\t\r\u00a0'sSdD")[r.Intn(10)]
			}
			if rs[j] >= 0xD800 && rs[j] < 0xE000 || rs[j] == 0 {
				rs[j] = 'x'
			}
		}
		out = append(out, string(rs))
	}
	out = append(out, strings.Repeat("a", 5000), strings.Repeat("ab1", 700), strings.Repeat("!?", 300)+"\n\n",
		strings.Repeat(" ", 100)+"x", strings.Repeat("\n \t", 50))
	json.NewEncoder(os.Stdout).Encode(out)
}
