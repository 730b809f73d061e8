package settings

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Problem codes say what kind of problem a Problem is.
const (
	CodeMissing  = "missing"  // a required setting is not set
	CodeInvalid  = "invalid"  // a value does not parse or is out of range
	CodeUnknown  = "unknown"  // a variable or key that no field has
	CodeConflict = "conflict" // the same setting given twice in different case
)

// Problem is one invalid, missing or unknown setting.
type Problem struct {
	// Source names where the value came from: "environment variable SIMPLESPLITTERSTEP__BATCH_SIZE",
	// "--default BATCH_SIZE" or "env.local:3".
	Source string
	// Code is one of the Code constants.
	Code string
	// Msg says what is wrong and what was expected. It never holds a secret's value.
	Msg string
}

func (p Problem) String() string { return p.Source + ": " + p.Msg }

// Error holds every problem found while building settings, sorted by source.
// Its message never holds a secret's value.
type Error struct {
	Problems []Problem
}

func (e *Error) Error() string {
	switch len(e.Problems) {
	case 0:
		return "invalid settings"
	case 1:
		return e.Problems[0].String()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d invalid settings:", len(e.Problems))
	for _, p := range e.Problems {
		b.WriteString("\n  ")
		b.WriteString(p.String())
	}
	return b.String()
}

// IsError reports whether err is or wraps a *settings.Error.
func IsError(err error) bool {
	var e *Error
	return errors.As(err, &e)
}

// problems collects Problems; its err method returns nil or a sorted *Error.
type problems []Problem

func (ps *problems) add(source, code, format string, args ...any) {
	*ps = append(*ps, Problem{Source: source, Code: code, Msg: fmt.Sprintf(format, args...)})
}

func (ps problems) err() error {
	if len(ps) == 0 {
		return nil
	}
	out := append([]Problem(nil), ps...)
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Source != out[j].Source {
			return out[i].Source < out[j].Source
		}
		return out[i].Msg < out[j].Msg
	})
	// The same problem can be reached twice (a key in two blobs); report it once.
	uniq := out[:0]
	for i, p := range out {
		if i > 0 && p == out[i-1] {
			continue
		}
		uniq = append(uniq, p)
	}
	return &Error{Problems: uniq}
}
