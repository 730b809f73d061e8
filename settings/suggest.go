package settings

import "github.com/wurzel-dev/wurzel/internal/suggest"

// suggestName returns the candidate closest to name (case-insensitive edit distance), or ""
// when none is close enough to be a likely typo.
func suggestName(name string, candidates []string) string {
	return suggest.Closest(name, candidates)
}
