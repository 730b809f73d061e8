package tokenizer

import (
	"slices"
	"strings"
	"testing"
)

// The heap merge must give the scan merge's tokens on every piece.
func FuzzMergeHeapMatchesScan(f *testing.F) {
	for _, s := range []string{"hello", "aaaaaaaaaaaaaaaa", "größerüberübung", "abcabcabcabc", "日本語テキスト", "\x00\xff\xfe"} {
		f.Add(s)
	}
	tok, err := Get(Cl100kBase)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) < 2 || len(s) > 4096 {
			return
		}
		scan := tok.mergeScan(s, nil)
		heap := tok.mergeHeap(s, nil)
		if !slices.Equal(scan, heap) {
			t.Fatalf("%q: scan %v, heap %v", s, scan, heap)
		}
	})
}

func TestLongPieces(t *testing.T) {
	tok, err := Get(Cl100kBase)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{strings.Repeat("ab", 3000), strings.Repeat("z", 100000)} {
		ends := tok.TokenEnds(s)
		if ends[len(ends)-1] != len(s) || len(ends) != tok.Count(s) {
			t.Errorf("len %d: %d ends, count %d", len(s), len(ends), tok.Count(s))
		}
	}
}
