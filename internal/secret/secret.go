// Package secret recognises values that look like secrets: well-known token shapes anywhere
// in a string, URLs with a password, and literals under secret-like names (API_KEY, password,
// token, …). It is the one implementation behind `wurzel lint`'s secret rule and the masking
// of `wurzel diff` and `wurzel values explain`.
//
// References are never secrets: ${{ secrets.X }}, $VAR, ${VAR}, {{ … }} expressions, Python
// Wurzel's ${secret:…} placeholders, and upper-case names of variables or secrets
// (PROD_OPENAI_KEY), which name a secret rather than hold one.
package secret

import (
	"crypto/sha256"
	"encoding/hex"
	"math"
	"regexp"
	"sort"
	"strings"
	"unicode"
)

// Verdict says how sure a check is that a value is a secret.
type Verdict int

// The verdicts, weakest first.
const (
	// None: not a secret (empty, a reference, a name, or nothing secret-like about it).
	None Verdict = iota
	// Weak: a literal under a secret-like name that does not look random ("changeme"); it
	// may be a placeholder or a real, weak secret.
	Weak
	// Strong: a well-known token shape, a URL with a password, or a random-looking literal
	// under a secret-like name.
	Strong
)

// Finding is why a value looks like a secret.
type Finding struct {
	Verdict Verdict
	// What describes it without quoting it: "an OpenAI API key", "a URL with a password".
	What string
	// Fingerprint identifies the secret (a SHA-256 of it) without revealing it, so that
	// copies of one secret can be recognised.
	Fingerprint string
}

func found(v Verdict, what, secret string) Finding {
	sum := sha256.Sum256([]byte(secret))
	return Finding{Verdict: v, What: what, Fingerprint: hex.EncodeToString(sum[:])}
}

var keyRE = regexp.MustCompile(`(?i)(secret|token|password|passwd|pwd|passphrase|api[_-]?key|access[_-]?key|private[_-]?key|credentials?)$`)

// SecretKey reports whether a key, variable or setting name is secret-like: API_KEY,
// password, githubToken, AWS_SECRET_ACCESS_KEY.
func SecretKey(name string) bool { return keyRE.MatchString(name) }

// shape is a well-known token format.
type shape struct {
	what string
	re   *regexp.Regexp
}

var shapes = []shape{
	{"a private key", regexp.MustCompile(`-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----`)},
	{"an Anthropic API key", regexp.MustCompile(`\bsk-ant-[A-Za-z0-9_-]{20,}`)},
	{"an OpenAI API key", regexp.MustCompile(`\bsk-(?:proj-|live-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}`)},
	{"a Stripe key", regexp.MustCompile(`\b[sr]k_(?:live|test)_[A-Za-z0-9]{16,}`)},
	{"a GitHub token", regexp.MustCompile(`\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{40,})`)},
	{"a GitLab token", regexp.MustCompile(`\bgl(?:pat|dt|rt|ptt|cbt|oas)-[A-Za-z0-9_-]{20,}`)},
	{"an AWS access key ID", regexp.MustCompile(`\b(?:AKIA|ASIA)[0-9A-Z]{16}\b`)},
	{"a Google API key", regexp.MustCompile(`\bAIza[0-9A-Za-z_-]{35}`)},
	{"a Hugging Face token", regexp.MustCompile(`\bhf_[A-Za-z0-9]{30,}`)},
	{"a Slack token", regexp.MustCompile(`\bxox[abposr]-[A-Za-z0-9-]{10,}`)},
	{"a JSON web token", regexp.MustCompile(`\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}`)},
}

// urlPasswordRE finds scheme://user:password@host; group 1 is the password.
var urlPasswordRE = regexp.MustCompile(`[A-Za-z][A-Za-z0-9+.-]*://[^\s:/@'"]*:([^\s@/'"]+)@`)

// referenceRE matches values that point at a secret instead of holding one.
var referenceRE = regexp.MustCompile(`^(?:\$\{\{.*\}\}|\{\{.*\}\}|\{%.*%\}|\$[A-Za-z_][A-Za-z0-9_]*|\$\{[^}]+\}|\$\([^)]+\)|%\([^)]+\)s)$`)

// nameRE matches upper-case names of variables and secrets (PROD_OPENAI_KEY, S3_KEY); a
// name with digits but no underscore (ABCD1234EFGH) is not taken for one.
var nameRE = regexp.MustCompile(`^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$|^[A-Z]+$`)

// plainWords are values of secret-like keys that are settings, not secrets
// (GitHub's permissions: id-token: write).
var plainWords = map[string]bool{
	"read": true, "write": true, "none": true, "true": true, "false": true, "yes": true, "no": true,
	"on": true, "off": true, "enabled": true, "disabled": true, "required": true, "optional": true,
	"null": true, "auto": true, "inherit": true, "env": true, "file": true,
}

// IsReference reports whether a value refers to a secret held elsewhere (an expression, a
// variable, or the upper-case name of a variable or secret).
func IsReference(v string) bool {
	v = strings.TrimSpace(v)
	return v != "" && len(v) <= 128 && (referenceRE.MatchString(v) || nameRE.MatchString(v))
}

// Shape returns what well-known secret format a value contains, or "".
func Shape(v string) string {
	what, _ := shapeOf(v)
	return what
}

// shapeOf returns what well-known secret format a value contains and the secret itself.
func shapeOf(v string) (what, match string) {
	for _, s := range shapes {
		if m := s.re.FindString(v); m != "" {
			return s.what, m
		}
	}
	for _, m := range urlPasswordRE.FindAllStringSubmatch(v, -1) {
		if !IsReference(m[1]) && m[1] != Masked {
			return "a URL with a password", m[1]
		}
	}
	return "", ""
}

// Check classifies a value found under key (a mapping key, a variable or setting name; ""
// when there is none).
func Check(key, value string) Finding {
	v := strings.TrimSpace(value)
	if v == "" {
		return Finding{}
	}
	if what, m := shapeOf(v); what != "" {
		return found(Strong, what, m)
	}
	if key == "" || !SecretKey(key) || IsReference(strings.TrimPrefix(v, "\\")) || plainWords[strings.ToLower(v)] {
		return Finding{}
	}
	if strings.HasPrefix(v, "/") || strings.HasPrefix(v, "./") || strings.HasPrefix(v, "~/") {
		return Finding{} // a path to a secret file
	}
	if random(v) {
		return found(Strong, "a random-looking literal under a secret-like name", v)
	}
	return found(Weak, "a literal under a secret-like name", v)
}

// random reports whether a literal looks generated rather than chosen: long enough, varied
// enough (Shannon entropy of at least 3 bits per character) and mixing two or more of
// lower case, upper case, digits and symbols. "minio-credentials" does not; "s3cr3t-P@ss" does.
func random(v string) bool {
	if len([]rune(v)) < 8 || strings.ContainsAny(v, " \t\n") {
		return false
	}
	var lower, upper, digit, symbol int
	for _, r := range v {
		switch {
		case unicode.IsLower(r):
			lower = 1
		case unicode.IsUpper(r):
			upper = 1
		case unicode.IsDigit(r):
			digit = 1
		case r == '-' || r == '_' || r == '.':
			// word separators of names
		default:
			symbol = 1
		}
	}
	return lower+upper+digit+symbol >= 2 && Entropy(v) >= 3.0
}

// Entropy is the Shannon entropy of s in bits per character.
func Entropy(s string) float64 {
	counts := map[rune]int{}
	n := 0
	for _, r := range s {
		counts[r]++
		n++
	}
	if n == 0 {
		return 0
	}
	e := 0.0
	for _, c := range counts {
		p := float64(c) / float64(n)
		e -= p * math.Log2(p)
	}
	return e
}

// Masked replaces a secret value.
const Masked = "***"

// Mask returns Masked for a string value that looks like a secret (any verdict but None)
// under key, and the value unchanged otherwise. Non-strings are returned as they are.
func Mask(key string, v any) any {
	s, ok := v.(string)
	if !ok {
		return v
	}
	if Check(key, s).Verdict != None {
		return Masked
	}
	return v
}

// assignValue is the value of an assignment: quoted, an expression, or up to a separator.
// Values that open a structure ({, [) are not literals.
const assignValue = `('[^']*'|"(?:[^"\\]|\\.)*"|\$\{\{.*?\}\}|\{\{.*?\}\}|[^\s'",;)}\]{\[][^\s'",;)}\]]*)`

var (
	// eqRE finds NAME=VALUE (shell, argv; no spaces around =).
	eqRE = regexp.MustCompile(`(?:^|[^A-Za-z0-9_$.{}-])([A-Za-z_][A-Za-z0-9_.-]*)=` + assignValue)
	// colonRE finds NAME: VALUE at the start of a line or after { or , ("KEY": "v" in Python
	// and JSON, KEY: v in YAML text), not in prose.
	colonRE = regexp.MustCompile(`(?m)(?:^[ \t]*(?:-[ \t]+)?|[{,][ \t]*)["']?([A-Za-z_][A-Za-z0-9_.-]*)["']?:[ \t]+` + assignValue)
)

// Assignment is one NAME=VALUE found in text; Start and End delimit the value (quotes
// included) in the text.
type Assignment struct {
	Name, Value string
	Start, End  int
}

// Assignments returns the NAME=VALUE and NAME: VALUE pairs of a text, values unquoted, in
// the order they appear.
func Assignments(text string) []Assignment {
	out := assignments(colonRE, text)
	out = append(out, assignments(eqRE, text)...)
	sort.Slice(out, func(i, j int) bool { return out[i].Start < out[j].Start })
	return out
}

func assignments(re *regexp.Regexp, text string) []Assignment {
	var out []Assignment
	for _, m := range re.FindAllStringSubmatchIndex(text, -1) {
		raw := text[m[4]:m[5]]
		v := raw
		if len(v) >= 2 && (v[0] == '\'' || v[0] == '"') && v[len(v)-1] == v[0] {
			v = v[1 : len(v)-1]
		}
		out = append(out, Assignment{Name: text[m[2]:m[3]], Value: v, Start: m[4], End: m[5]})
	}
	return out
}

// CheckText looks for secrets in free text: token shapes anywhere, and NAME=VALUE pairs
// whose name is secret-like. It returns the strongest finding.
func CheckText(text string) Finding {
	best := Finding{}
	if what, m := shapeOf(text); what != "" {
		return found(Strong, what, m)
	}
	for _, a := range Assignments(text) {
		if f := Check(a.Name, a.Value); f.Verdict > best.Verdict {
			best = f
		}
	}
	return best
}

// MaskText replaces every secret in free text with Masked: token shapes, passwords in URLs,
// and the values of secret-like NAME=VALUE pairs. Quotes around a masked value are kept.
func MaskText(text string) string {
	for _, s := range shapes {
		text = s.re.ReplaceAllString(text, Masked)
	}
	text = replaceGroup(urlPasswordRE, text, func(pw string) bool { return !IsReference(pw) })
	for _, re := range []*regexp.Regexp{colonRE, eqRE} {
		as := assignments(re, text)
		for i := len(as) - 1; i >= 0; i-- {
			a := as[i]
			if strings.Contains(a.Value, Masked) || Check(a.Name, a.Value).Verdict == None {
				continue
			}
			raw := text[a.Start:a.End]
			repl := Masked
			if len(raw) >= 2 && (raw[0] == '\'' || raw[0] == '"') && raw[len(raw)-1] == raw[0] {
				repl = raw[:1] + Masked + raw[:1]
			}
			text = text[:a.Start] + repl + text[a.End:]
		}
	}
	return text
}

// replaceGroup replaces group 1 of every match of re for which ok holds.
func replaceGroup(re *regexp.Regexp, text string, ok func(string) bool) string {
	ms := re.FindAllStringSubmatchIndex(text, -1)
	for i := len(ms) - 1; i >= 0; i-- {
		m := ms[i]
		if ok(text[m[2]:m[3]]) {
			text = text[:m[2]] + Masked + text[m[3]:]
		}
	}
	return text
}
