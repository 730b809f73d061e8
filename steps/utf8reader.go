package steps

import (
	"fmt"
	"io"
	"unicode/utf8"
)

// utf8Reader passes bytes through and fails at the first byte that is not valid UTF-8, as
// Python fails to decode such a file. A character split between two reads is checked whole.
// The bytes before a bad one are passed on first, so that the error comes when the reader's
// user needs that byte, whatever the sizes of its reads.
type utf8Reader struct {
	r       io.Reader
	off     int64  // offset of pending[0] in the stream
	pending []byte // an incomplete character at the end of the last read
	err     error
}

func (u *utf8Reader) Read(p []byte) (int, error) {
	if u.err != nil {
		return 0, u.err
	}
	n, err := u.r.Read(p)
	if len(u.pending) == 0 && utf8.Valid(p[:n]) {
		u.off += int64(n)
		return n, err
	}
	held := len(u.pending) // bytes passed on by earlier reads, checked now
	buf := append(u.pending, p[:n]...)
	i := 0
	for i < len(buf) {
		if buf[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, w := utf8.DecodeRune(buf[i:])
		if r == utf8.RuneError && w == 1 {
			if !utf8.FullRune(buf[i:]) && err == nil {
				break // wait for the rest of the character
			}
			u.err = &utf8Error{u.off + int64(i)}
			if i > held {
				return i - held, nil // the good bytes first; the error on the next read
			}
			return 0, u.err
		}
		i += w
	}
	u.off += int64(i)
	u.pending = append(u.pending[:0], buf[i:]...)
	if err == io.EOF && len(u.pending) > 0 {
		u.err = &utf8Error{u.off}
		if n > len(u.pending) {
			return n - len(u.pending), nil
		}
		return 0, u.err
	}
	return n, err
}

type utf8Error struct{ offset int64 }

func (e *utf8Error) Error() string {
	return fmt.Sprintf("not valid UTF-8 at byte %d (the file must be UTF-8)", e.offset)
}
