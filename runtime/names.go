package runtime

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/wurzel-dev/wurzel/internal/suggest"
	"github.com/wurzel-dev/wurzel/steps"
)

// The variables of the custom step contract (docs/design.md).
const (
	EnvOutputDir = "WURZEL_OUTPUT_DIR"
	EnvInputDirs = "WURZEL_INPUT_DIRS"
	EnvRunID     = "WURZEL_RUN_ID"
	EnvStepName  = "WURZEL_STEP_NAME"
)

// Resolve finds a built-in step type by class name or Python path. An unknown class is an
// *InvalidError with the nearest known name.
func Resolve(class string) (*steps.Type, error) {
	if t, ok := steps.Lookup(class); ok {
		return t, nil
	}
	name := class
	if i := strings.LastIndexAny(class, ".:"); i >= 0 {
		name = class[i+1:]
	}
	hint := ""
	if s := suggest.Closest(name, steps.Names()); s != "" {
		hint = " (did you mean " + s + "?)"
	}
	return nil, invalidf("unknown step class %q%s; 'wurzel steps' lists the built-in steps", class, hint)
}

// shortName is a class name without its trailing "Step", as Python Wurzel's history writes it.
func shortName(class string) string {
	if s := strings.TrimSuffix(class, "Step"); s != "" {
		return s
	}
	return class
}

// outputNames names the output file of each input file by the history rule: the input's
// stem, a dash and the short class name (ManualMarkdown-SimpleSplitter.json); a source
// step writes <short>.json. When two inputs have the same stem, the later outputs get .2,
// .3, ... before the extension, so no output overwrites another.
func outputNames(class string, inputs []string, ext string) []string {
	short := shortName(class)
	if len(inputs) == 0 {
		return []string{short + ext}
	}
	used := map[string]bool{}
	out := make([]string, len(inputs))
	for i, in := range inputs {
		base := filepath.Base(in)
		stem := capStem(strings.TrimSuffix(base, filepath.Ext(base)))
		name := stem + "-" + short
		candidate := name + ext
		for n := 2; used[candidate]; n++ {
			candidate = fmt.Sprintf("%s.%d%s", name, n, ext)
		}
		used[candidate] = true
		out[i] = candidate
	}
	return out
}

// maxStem bounds the history part of an output name. The history grows by a class name per
// step, and file systems refuse names over 255 bytes: a long chain keeps the newest part of
// its history and a hash of the rest (…~1a2b3c4d-SimpleSplitter-DropDuplication.json).
const maxStem = 160

func capStem(stem string) string {
	if len(stem) <= maxStem {
		return stem
	}
	sum := sha256.Sum256([]byte(stem))
	keep := stem[len(stem)-(maxStem-10):]
	if i := strings.IndexByte(keep, '-'); i >= 0 && i < len(keep)-1 {
		keep = keep[i+1:] // start at a step boundary
	}
	return hex.EncodeToString(sum[:4]) + "~" + keep
}

// NewRunID makes a run id for a run that was given none: wurzel-<UTC date>-<UTC time>-<8
// random hex digits>, e.g. wurzel-20260314-093000-1f2e3d4c. Sorting run ids sorts them by
// start time; the random part keeps concurrent runs apart.
func NewRunID(now time.Time) string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return "wurzel-" + now.UTC().Format("20060102-150405") + "-" + hex.EncodeToString(b)
}

// runID returns WURZEL_RUN_ID from environ, or a new one.
func runID(environ []string) string {
	if id := lookup(environ, EnvRunID); id != "" {
		return id
	}
	return NewRunID(time.Now())
}

// lookup returns the last value of name in environ.
func lookup(environ []string, name string) string {
	v := ""
	for _, kv := range environ {
		if k, val, ok := strings.Cut(kv, "="); ok && k == name {
			v = val
		}
	}
	return v
}

// has reports whether environ sets name.
func has(environ []string, name string) bool {
	for _, kv := range environ {
		if k, _, ok := strings.Cut(kv, "="); ok && k == name {
			return true
		}
	}
	return false
}
