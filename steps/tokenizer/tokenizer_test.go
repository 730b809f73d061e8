package tokenizer

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"
)

// reference.json holds token ids computed by tiktoken itself (see testdata/reference.js).
func loadReference(t *testing.T) (samples []string, ids map[Encoding][][]int) {
	t.Helper()
	data, err := os.ReadFile("testdata/reference.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Samples []string             `json:"samples"`
		IDs     map[Encoding][][]int `json:"ids"`
	}
	if err := json.Unmarshal(data, &ref); err != nil {
		t.Fatal(err)
	}
	return ref.Samples, ref.IDs
}

func TestMatchesTiktoken(t *testing.T) {
	samples, ids := loadReference(t)
	for _, enc := range Encodings() {
		t.Run(string(enc), func(t *testing.T) {
			tok, err := Get(enc)
			if err != nil {
				t.Fatal(err)
			}
			bad := 0
			for i, s := range samples {
				want := ids[enc][i]
				if got := tok.Encode(s); !slices.Equal(got, want) {
					if bad++; bad <= 5 {
						t.Errorf("Encode(%q)\n got %v\nwant %v", s, got, want)
					}
					continue
				}
				if got := tok.Count(s); got != len(want) {
					t.Errorf("Count(%q) = %d, want %d", s, got, len(want))
				}
				if got, err := tok.Decode(want); err != nil || got != s {
					t.Errorf("Decode(Encode(%q)) = %q, %v", s, got, err)
				}
			}
			if bad > 0 {
				t.Errorf("%d of %d samples differ from tiktoken", bad, len(samples))
			}
		})
	}
}

func TestKnownCounts(t *testing.T) {
	tests := []struct {
		enc  Encoding
		text string
		want []int
	}{
		{Cl100kBase, "hello world", []int{15339, 1917}},
		{Cl100kBase, "tiktoken is great!", []int{83, 1609, 5963, 374, 2294, 0}},
		{Cl100kBase, "", nil},
	}
	for _, tt := range tests {
		tok, err := Get(tt.enc)
		if err != nil {
			t.Fatal(err)
		}
		if got := tok.Encode(tt.text); !slices.Equal(got, tt.want) {
			t.Errorf("%s: Encode(%q) = %v, want %v", tt.enc, tt.text, got, tt.want)
		}
	}
}

func TestForModel(t *testing.T) {
	tests := []struct {
		model string
		want  Encoding
	}{
		{"gpt-3.5-turbo", Cl100kBase},
		{"gpt-3.5-turbo-0125", Cl100kBase},
		{"gpt-4", Cl100kBase},
		{"gpt-4-turbo", Cl100kBase},
		{"gpt-4o", O200kBase},
		{"gpt-4o-mini", O200kBase},
		{"text-embedding-3-small", Cl100kBase},
		{"cl100k_base", Cl100kBase},
		{"o200k_base", O200kBase},
	}
	for _, tt := range tests {
		tok, err := ForModel(tt.model)
		if err != nil {
			t.Fatalf("ForModel(%q): %v", tt.model, err)
		}
		if tok.Encoding() != tt.want {
			t.Errorf("ForModel(%q) = %s, want %s", tt.model, tok.Encoding(), tt.want)
		}
	}
	_, err := ForModel("bert-base-uncased")
	want := `unknown tokenizer model "bert-base-uncased": use an OpenAI model name such as gpt-3.5-turbo, gpt-4 or gpt-4o, or an encoding name (cl100k_base, o200k_base)`
	if err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
}

func TestPiecesAndTokenEnds(t *testing.T) {
	tok, err := Get(Cl100kBase)
	if err != nil {
		t.Fatal(err)
	}
	s := "Ein längerer Satz, mit Zahlen 12345 und   Leerzeichen.\n\n## Kopf"
	sum, last := 0, 0
	tok.Pieces(s, func(start, end, n int) bool {
		if start != last || end <= start {
			t.Fatalf("piece [%d,%d) after %d", start, end, last)
		}
		sum, last = sum+n, end
		return true
	})
	if last != len(s) || sum != tok.Count(s) {
		t.Errorf("pieces cover %d bytes with %d tokens, want %d and %d", last, sum, len(s), tok.Count(s))
	}
	ends := tok.TokenEnds(s)
	if len(ends) != tok.Count(s) || ends[len(ends)-1] != len(s) {
		t.Errorf("TokenEnds = %v", ends)
	}
	var b strings.Builder
	prev := 0
	for _, e := range ends {
		b.WriteString(s[prev:e])
		prev = e
	}
	if b.String() != s {
		t.Errorf("token ends do not rebuild the text")
	}
}

func TestDecodeUnknownID(t *testing.T) {
	tok, _ := Get(Cl100kBase)
	_, err := tok.Decode([]int{15339, 999999})
	want := "token id 999999 is not in cl100k_base (0 to 100255)"
	if err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
}
