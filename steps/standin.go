package steps

import (
	"bytes"
	"io"
)

// A stand-in replaces what fastDocs consumed when the token decoder takes over, so that
// encoding/json reports what it would have reported reading the whole stream:
//
//   - it is as long as the bytes consumed: errors between tokens give the stream offset;
//   - its numbers hold as many digits as the consumed strings, numbers and literals: errors
//     inside values give the count of value bytes the decoder has scanned;
//   - it leaves the decoder in the same place: inside the array, after '[', after a value,
//     after a comma, or after the closing ']'; a number never ends it, or the decoder would
//     read the stream's next bytes as more of its digits.
//
// It is generated as it is read. The decoder holds a whole number, or a whole run of white
// space, in its buffer: numbers and runs are at most standInRun bytes long, with empty
// arrays to spend the structure bytes that runs cannot, so that a hand-over late in a big
// file costs little memory. Two cases stay as long as the stream made them: a few huge
// strings with little structure around them share their digits among as many numbers as
// there are structure bytes to separate them, and white space before any entry (sep '['
// or "[ ]") is one run, as it is in the stream.
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

// standInRun bounds numbers and runs of white space (at least 3: an empty array and its
// comma must fit where white space does not); tests make it small.
var standInRun int64 = 64 << 10

// newStandIn returns the stand-in of length size, holding digits value bytes, that ends in
// the state after sep ('[', ',', 'v' for a value, ']'), and the number of tokens to read
// from it before the rest of the stream. inArray is false before the opening '['.
func newStandIn(size, digits int64, inArray bool, sep byte) (*standIn, int) {
	if !inArray {
		s := &standIn{}
		s.add(' ', size) // only white space came before '['
		return s, 0
	}
	var end []byte
	if sep == ',' || sep == ']' {
		end = []byte{sep}
	}
	// Structure bytes to spend: all but '[', the digits and the closing separator.
	budget := size - 1 - digits - int64(len(end))
	// keep is the white space that must follow the last value when nothing closes it.
	keep := int64(0)
	if len(end) == 0 && digits > 0 {
		keep = 1
	}
	numbers, width := int64(0), int64(0)
	if digits > 0 && budget >= keep {
		// Numbers of width digits each; the commas between them and keep fit in budget.
		width = max(standInRun, ceilDiv(digits, budget-keep+1))
		numbers = ceilDiv(digits, width)
	}
	spaces := budget - max(numbers-1, 0)
	// White space runs after each value; empty arrays (",[]") spend what they cannot hold.
	pads := int64(0)
	if numbers > 0 && spaces > numbers*standInRun {
		pads = ceilDiv(spaces-numbers*standInRun, standInRun+3)
		spaces -= 3 * pads
	}
	if (digits > 0 && numbers == 0) || spaces < keep || spaces > (numbers+pads)*standInRun {
		// Cannot happen for what fastDocs consumes (an entry has at least seven structure
		// bytes); should it, one number and one run, as long as they must be.
		numbers, width, pads, spaces = min(digits, 1), digits, 0, budget
	}
	s := &standIn{}
	s.add('[', 1)
	left := digits
	elems := numbers + pads
	for e := int64(0); e < elems; e++ {
		if e > 0 {
			s.add(',', 1)
		}
		if e < numbers {
			d := min(width, left)
			left -= d
			s.add('1', 1)
			s.add('0', d-1)
		} else {
			s.add('[', 1)
			s.add(']', 1)
		}
		reserve := int64(0) // for the runs after the values still to come
		if e < elems-1 {
			reserve = keep
		}
		w := min(spaces-reserve, standInRun)
		if e == elems-1 {
			w = spaces
		}
		s.add(' ', w)
		spaces -= w
	}
	s.add(' ', spaces) // when no value came before: sep '[', or "[ ]"
	for _, b := range end {
		s.add(b, 1)
	}
	return s, int(1 + numbers + 2*pads)
}

func (s *standIn) add(b byte, n int64) {
	if n > 0 {
		s.runs = append(s.runs, run{b, n})
	}
}

// fill holds copies of each byte a stand-in writes, to copy from.
var fill = map[byte][]byte{' ': bytes.Repeat([]byte{' '}, 4096), '0': bytes.Repeat([]byte{'0'}, 4096)}

func (s *standIn) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) && s.i < len(s.runs) {
		r := s.runs[s.i]
		k := int(min(int64(len(p)-n), r.n-s.done))
		if block, ok := fill[r.b]; ok {
			k = copy(p[n:n+k], block)
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
