package steps

import (
	"bytes"
	"io"
)

// A stand-in replaces what fastDocs consumed when the token decoder takes over, so that
// encoding/json reports what it would have reported reading the whole stream:
//
//   - it is as long as the bytes consumed: the decoder's InputOffset, which places its
//     errors (tokenDecoder.errorOffset), is the stream's;
//   - it leaves the decoder in the same place: inside the array, after '[', after a value,
//     after a comma, or after the closing ']'.
//
// Its values are empty arrays, separated by runs of white space of at most standInRun
// bytes: the decoder holds a whole run in its buffer, so a hand-over late in a big file
// costs little memory. White space before any entry (sep '[') stays one run, as it is in
// the stream.
type standIn struct {
	runs []run
	i    int   // current run
	done int64 // bytes of it read
}

// run is n copies of b.
type run struct {
	b byte
	n int64
}

// standInRun bounds the runs of white space (at least 3); tests make it small.
var standInRun int64 = 64 << 10

// newStandIn returns the stand-in of length size that ends in the state after sep ('[',
// ',', 'v' for a value, ']'), and the number of tokens to read from it before the rest of
// the stream. inArray is false before the opening '['.
func newStandIn(size int64, inArray bool, sep byte) (*standIn, int) {
	s := &standIn{}
	if !inArray {
		s.add(' ', size) // only white space came before '['
		return s, 0
	}
	var end []byte
	if sep == ',' || sep == ']' {
		end = []byte{sep}
	}
	// Bytes between '[' and the closing separator: empty arrays, commas between them, and
	// white space after each, at most standInRun.
	budget := size - 1 - int64(len(end))
	arrays := int64(0)
	if sep != '[' {
		arrays = ceilDiv(budget+1, standInRun+3)
	}
	if sep == ',' || sep == 'v' {
		arrays = max(arrays, 1) // a value came before
	}
	spaces := budget - (3*arrays - 1)
	if arrays == 0 || spaces < 0 {
		// Before any value; or too short for one, which cannot happen after an entry.
		arrays, spaces = 0, budget
	}
	s.add('[', 1)
	for a := int64(0); a < arrays; a++ {
		if a > 0 {
			s.add(',', 1)
		}
		s.add('[', 1)
		s.add(']', 1)
		w := min(spaces, standInRun)
		s.add(' ', w)
		spaces -= w
	}
	s.add(' ', spaces) // when no value came before: sep '['
	for _, b := range end {
		s.add(b, 1)
	}
	return s, int(1 + 2*arrays)
}

func (s *standIn) add(b byte, n int64) {
	if n > 0 {
		s.runs = append(s.runs, run{b, n})
	}
}

// blank is copied into runs of white space, the only long runs.
var blank = bytes.Repeat([]byte{' '}, 4096)

func (s *standIn) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) && s.i < len(s.runs) {
		r := s.runs[s.i]
		k := int(min(int64(len(p)-n), r.n-s.done))
		if r.b == ' ' {
			k = copy(p[n:n+k], blank)
		} else {
			for j := range k {
				p[n+j] = r.b
			}
		}
		n += k
		if s.done += int64(k); s.done == r.n {
			s.i, s.done = s.i+1, 0
		}
	}
	if n == 0 && s.i == len(s.runs) {
		return 0, io.EOF
	}
	return n, nil
}

func ceilDiv(a, b int64) int64 { return (a + b - 1) / b }
