package pipeline

import (
	"regexp"
	"strings"
)

var (
	stepNameRE  = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]*$`)
	dnsLabelRE  = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)
	envPrefixRE = regexp.MustCompile(`^[A-Z_][A-Z0-9_]*$`)
	envFieldRE  = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
)

// MaxNameLen bounds step and pipeline names: a DNS-1123 label.
const MaxNameLen = 63

// MaxSettingLen bounds the names of a custom step's settings, which become environment
// variable names (<PREFIX>__<NAME>) and keys of rendered files.
const MaxSettingLen = 128

// ID turns a step name into a DNS-1123 label: lower case, every run of other characters
// replaced by '-', no leading or trailing '-'.
func ID(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
			dash = false
			continue
		}
		if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimRight(b.String(), "-")
}

// EnvPrefixFor is the naming rule for a step's settings prefix: an explicit prefix wins;
// a built-in class that occurs once in the pipeline uses its upper-cased class name
// (MANUALMARKDOWNSTEP, as Python Wurzel does); otherwise the upper-cased step name with every
// run of characters outside [A-Z0-9] turned into one '_' (chunks-small → CHUNKS_SMALL). A
// run becomes a single '_' so that a prefix never holds "__", the nested-field separator.
func EnvPrefixFor(stepName, className string, classCount int, explicit string) string {
	if explicit != "" {
		return explicit
	}
	if className != "" && classCount == 1 {
		return strings.ToUpper(className)
	}
	var b strings.Builder
	sep := false
	for _, r := range strings.ToUpper(stepName) {
		if (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
			sep = false
		} else if !sep {
			b.WriteByte('_')
			sep = true
		}
	}
	p := strings.TrimSuffix(b.String(), "_")
	if p != "" && p[0] >= '0' && p[0] <= '9' {
		p = "_" + p // a variable name cannot start with a digit
	}
	return p
}

// ClassName returns the class of a Python path or a bare class name:
// wurzel.steps.splitter:SimpleSplitterStep → SimpleSplitterStep.
func ClassName(class string) string {
	if i := strings.LastIndexAny(class, ".:"); i >= 0 {
		return class[i+1:]
	}
	return class
}
