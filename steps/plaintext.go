package steps

import (
	"regexp"
	"strings"
)

var (
	mdImageRE    = regexp.MustCompile(`!\[([^\]]*)\]\([^)]*\)`)
	mdLinkRE     = regexp.MustCompile(`\[([^\]]*)\]\([^)]*\)`)
	mdAutoLinkRE = regexp.MustCompile(`<(https?://[^>\s]+)>`)
	mdTagRE      = regexp.MustCompile(`</?[A-Za-z][^>]*>`)
	mdStrongRE   = regexp.MustCompile(`(\*\*|__)(\S(?:.*?\S)?)(\*\*|__)`)
	mdEmRE       = regexp.MustCompile(`(^|[\s(])[*_](\S(?:[^*_]*?\S)?)[*_]($|[\s).,;:!?])`)
	mdCodeRE     = regexp.MustCompile("`+([^`]*)`+")
	mdLinePrefix = regexp.MustCompile(`^\s{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+|\d{1,9}[.)]\s+)`)
	mdFenceRE    = regexp.MustCompile("^\\s*(```|~~~)")
	mdRuleRE     = regexp.MustCompile(`^\s*(?:\|?\s*:?-{3,}:?\s*)+\|?\s*$|^\s*(?:[-*_]\s*){3,}$`)
	// urlRE is Python Wurzel's pattern for links replaced by LINK.
	urlRE = regexp.MustCompile(`https?://(?:www\.)?[-a-zA-Z0-9@:%._+~#=]{1,256}\.[a-zA-Z0-9()]{1,6}\b(?:[-a-zA-Z0-9()@:%_+.~#?&/=]*)`)
)

// plainText turns markdown into the text an embedding model is given, as Python Wurzel does
// with CLEAN_MD_BEFORE_EMBEDDING: markup removed (heading marks, emphasis, link targets,
// HTML tags, code fences, table rules and pipes, list and quote markers), then every URL
// replaced by LINK. Python renders the markdown to HTML and takes its text; this gives the
// same words, not always the same white space.
func plainText(md string) string {
	var lines []string
	for _, line := range strings.Split(md, "\n") {
		if mdFenceRE.MatchString(line) || mdRuleRE.MatchString(line) {
			continue
		}
		line = mdLinePrefix.ReplaceAllString(line, "")
		line = mdImageRE.ReplaceAllString(line, "$1")
		line = mdLinkRE.ReplaceAllString(line, "$1")
		line = mdAutoLinkRE.ReplaceAllString(line, "$1")
		line = mdTagRE.ReplaceAllString(line, "")
		line = mdStrongRE.ReplaceAllString(line, "$2")
		line = mdEmRE.ReplaceAllString(line, "$1$2$3")
		line = mdCodeRE.ReplaceAllString(line, "$1")
		if t := strings.TrimSpace(line); strings.HasPrefix(t, "|") || strings.HasSuffix(t, "|") {
			cells := strings.Split(strings.Trim(t, "|"), "|")
			for i := range cells {
				cells[i] = strings.TrimSpace(cells[i])
			}
			line = strings.Join(cells, " ")
		}
		line = strings.TrimSpace(line)
		if line == "" && (len(lines) == 0 || lines[len(lines)-1] == "") {
			continue
		}
		lines = append(lines, line)
	}
	return replaceLinks(strings.TrimSpace(strings.Join(lines, "\n")))
}

// replaceLinks replaces URLs by LINK.
func replaceLinks(s string) string { return urlRE.ReplaceAllString(s, "LINK") }
