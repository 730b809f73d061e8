package engine

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/Masterminds/sprig/v3"
	"github.com/wurzel-dev/wurzel/third_party/template"
	"go.yaml.in/yaml/v3"

	"github.com/wurzel-dev/wurzel/internal/escape"
)

// Caps on what one template call may produce.
const (
	maxRepeat       = 1 << 20 // characters from repeat
	maxSequence     = 1 << 16 // items from until, untilStep and seq
	maxIncludeDepth = 100
	maxIndent       = 1 << 10  // spaces of indent and nindent
	maxWidth        = 1 << 12  // width and precision of printf verbs
	maxIndentResult = 64 << 20 // bytes from indent and nindent
)

// sprigAllowed are the sprig functions templates may call. Everything else sprig offers is
// refused: functions that read the environment, the clock, randomness or the network, the
// crypto helpers (random keys and salts), OS-specific path helpers, and squote (its output
// is not safe in a shell). TestFuncMapCoversSprig fails when a sprig upgrade adds a function
// that is on neither list.
var sprigAllowed = []string{
	"abbrev", "abbrevboth", "add", "add1", "add1f", "addf", "adler32sum", "all", "any", "append",
	"atoi", "b32dec", "b32enc", "b64dec", "b64enc", "base", "biggest", "camelcase", "cat", "ceil",
	"chunk", "clean", "coalesce", "compact", "concat", "contains", "deepCopy", "deepEqual", "default",
	"dict", "dig", "dir", "div", "divf", "duration", "empty", "ext", "fail", "first", "float64",
	"floor", "fromJson", "get", "has", "hasKey", "hasPrefix", "hasSuffix", "hello",
	"initial", "initials", "int", "int64", "isAbs", "join", "kebabcase", "kindIs", "kindOf", "last",
	"list", "lower", "max", "maxf", "merge", "mergeOverwrite", "min", "minf", "mod", "mul", "mulf",
	"mustAppend", "mustChunk", "mustCompact", "mustDeepCopy", "mustFirst", "mustFromJson", "mustHas",
	"mustInitial", "mustLast", "mustMerge", "mustMergeOverwrite", "mustPrepend", "mustPush",
	"mustRegexFind", "mustRegexFindAll", "mustRegexMatch", "mustRegexReplaceAll",
	"mustRegexReplaceAllLiteral", "mustRegexSplit", "mustRest", "mustReverse", "mustSlice",
	"mustToJson", "mustToPrettyJson", "mustToRawJson", "mustUniq", "mustWithout",
	"nospace", "omit", "pick", "pluck", "plural", "prepend", "push", "regexFind", "regexFindAll",
	"regexMatch", "regexQuoteMeta", "regexReplaceAll", "regexReplaceAllLiteral", "regexSplit",
	"replace", "rest", "reverse", "round", "semver", "semverCompare", "set", "sha1sum", "sha256sum",
	"sha512sum", "slice", "snakecase", "sortAlpha", "split", "splitList", "splitn", "sub", "subf",
	"substr", "swapcase", "ternary", "title", "toDecimal", "toPrettyJson", "toRawJson", "toString",
	"toStrings", "trim", "trimAll", "trimPrefix", "trimSuffix", "trimall", "trunc", "tuple", "typeIs",
	"typeIsLike", "typeOf", "uniq", "unset", "untitle", "upper", "urlJoin", "urlParse", "without",
	"wrap", "wrapWith",
}

// sprigDenied are the sprig functions deliberately left out (see sprigAllowed).
var sprigDenied = []string{
	// environment, network, clock, randomness
	"env", "expandenv", "getHostByName", "now", "ago", "date", "dateInZone", "date_in_zone",
	"dateModify", "date_modify", "mustDateModify", "must_date_modify", "htmlDate", "htmlDateInZone",
	"toDate", "mustToDate", "unixEpoch", "durationRound", "randAlpha", "randAlphaNum", "randAscii",
	"randBytes", "randNumeric", "randInt", "shuffle", "uuidv4",
	// crypto with random keys or salts
	"bcrypt", "htpasswd", "derivePassword", "encryptAES", "decryptAES", "genCA", "genCAWithKey",
	"genPrivateKey", "genSelfSignedCert", "genSelfSignedCertWithKey", "genSignedCert",
	"genSignedCertWithKey", "buildCustomCert",
	// OS-specific paths; unsafe quoting
	"osBase", "osClean", "osDir", "osExt", "osIsAbs", "squote",
	// replaced by strict or capped versions below
	"repeat", "until", "untilStep", "seq", "keys", "values", "toJson", "quote", "indent", "nindent",
}

// funcMap returns the functions of a template set. include needs the set itself.
func funcMap(t func() *template.Template) template.FuncMap { return guardedFuncMap(t, nil) }

// guardedFuncMap is funcMap whose loop-prone functions fail once g stops the render.
func guardedFuncMap(t func() *template.Template, g *guard) template.FuncMap {
	all := template.FuncMap(sprig.TxtFuncMap())
	f := template.FuncMap{}
	for _, name := range sprigAllowed {
		f[name] = all[name]
	}
	depth := 0
	var m *memo
	if g != nil {
		m = g.memo
	}
	ours := template.FuncMap{
		// Capped versions of sprig's generators.
		"repeat": func(n int, s string) (string, error) {
			if err := g.err(); err != nil {
				return "", err
			}
			if n < 0 || (len(s) > 0 && n > maxRepeat/len(s)) {
				return "", fmt.Errorf("repeat: %d copies of %d bytes is more than %d bytes", n, len(s), maxRepeat)
			}
			return strings.Repeat(s, n), nil
		},
		"until": func(n int) ([]int, error) {
			if err := g.err(); err != nil {
				return nil, err
			}
			return sequence(0, n, 1)
		},
		"untilStep": func(start, stop, step int) ([]int, error) {
			if err := g.err(); err != nil {
				return nil, err
			}
			return sequence(start, stop, step)
		},
		"seq": func(params ...int) (string, error) {
			if err := g.err(); err != nil {
				return "", err
			}
			return seq(params...)
		},
		"indent":  func(n int, s string) (string, error) { return indent(n, s, "") },
		"nindent": func(n int, s string) (string, error) { return indent(n, s, "\n") },
		"printf":  printf,
		// Deterministic map helpers.
		"keys":   sortedKeys,
		"values": sortedValues,
		// sprig's sortAlpha sorts a []string in place: sort a copy, so that a template never
		// changes the data it was given (a step's lists).
		"sortAlpha": func(v any) []string {
			if s, ok := v.([]string); ok {
				v = append([]string(nil), s...)
			}
			return all["sortAlpha"].(func(any) []string)(v)
		},
		// Strict lookups and output helpers: errors, never "<no value>".
		"index":    strictIndex,
		"required": required,
		"toYaml":   toYAML,
		"toJson":   toJSON,
		"include": func(name string, data any) (string, error) {
			if err := g.err(); err != nil {
				return "", err
			}
			if depth >= maxIncludeDepth {
				return "", fmt.Errorf("include %q: nested more than %d deep", name, maxIncludeDepth)
			}
			depth++
			defer func() { depth-- }()
			return m.call(name, data, depth, func() (string, error) {
				var buf bytes.Buffer
				if err := t().ExecuteTemplate(&buf, name, data); err != nil {
					return "", err
				}
				return buf.String(), nil
			})
		},
		// Encoders, one per sink (internal/escape).
		"sh":      escape.Shell,
		"shJoin":  shJoin,
		"yamlq":   escape.YAML,
		"yamlv":   escape.YAMLValue,
		"dvcq":    func(s string) string { return strings.ReplaceAll(s, "${", `\${`) },
		"quote":   escape.YAML,
		"pyq":     escape.Python,
		"ghExprq": escape.GitHubExprString,
		"envName": escape.EnvName,
	}
	for name, fn := range ours {
		f[name] = fn
	}
	for name, fn := range regexFuncs {
		f[name] = fn
	}
	appendFuncs(all, f)
	if m != nil {
		memoFuncs(m, all, f)
	}
	return f
}

// regexFuncs are sprig's regular-expression functions with the same signatures, results and
// errors (the non-must ones panic on a bad pattern, which the template turns into an error),
// but compiling each pattern once per process: packs check values with regexMatch per step,
// and compiling the pattern on every call was a fifth of a render's time.
var regexFuncs = template.FuncMap{
	"regexMatch": func(regex, s string) bool {
		re, err := compileRegex(regex)
		return err == nil && re.MatchString(s)
	},
	"mustRegexMatch": func(regex, s string) (bool, error) {
		re, err := compileRegex(regex)
		if err != nil {
			return false, err
		}
		return re.MatchString(s), nil
	},
	"regexFindAll": func(regex, s string, n int) []string { return mustCompileRegex(regex).FindAllString(s, n) },
	"mustRegexFindAll": func(regex, s string, n int) ([]string, error) {
		re, err := compileRegex(regex)
		if err != nil {
			return []string{}, err
		}
		return re.FindAllString(s, n), nil
	},
	"regexFind": func(regex, s string) string { return mustCompileRegex(regex).FindString(s) },
	"mustRegexFind": func(regex, s string) (string, error) {
		re, err := compileRegex(regex)
		if err != nil {
			return "", err
		}
		return re.FindString(s), nil
	},
	"regexReplaceAll": func(regex, s, repl string) string { return mustCompileRegex(regex).ReplaceAllString(s, repl) },
	"mustRegexReplaceAll": func(regex, s, repl string) (string, error) {
		re, err := compileRegex(regex)
		if err != nil {
			return "", err
		}
		return re.ReplaceAllString(s, repl), nil
	},
	"regexReplaceAllLiteral": func(regex, s, repl string) string {
		return mustCompileRegex(regex).ReplaceAllLiteralString(s, repl)
	},
	"mustRegexReplaceAllLiteral": func(regex, s, repl string) (string, error) {
		re, err := compileRegex(regex)
		if err != nil {
			return "", err
		}
		return re.ReplaceAllLiteralString(s, repl), nil
	},
	"regexSplit": func(regex, s string, n int) []string { return mustCompileRegex(regex).Split(s, n) },
	"mustRegexSplit": func(regex, s string, n int) ([]string, error) {
		re, err := compileRegex(regex)
		if err != nil {
			return []string{}, err
		}
		return re.Split(s, n), nil
	},
}

// maxCachedRegexps bounds the pattern cache: a template that builds patterns from data
// compiles the ones beyond it on every call instead of growing the cache.
const maxCachedRegexps = 256

var regexCache struct {
	sync.Mutex
	m map[string]*regexp.Regexp
}

// compileRegex compiles a pattern, or returns it compiled from the cache. A compiled
// regexp is safe for concurrent use.
func compileRegex(expr string) (*regexp.Regexp, error) {
	regexCache.Lock()
	re, ok := regexCache.m[expr]
	regexCache.Unlock()
	if ok {
		return re, nil
	}
	re, err := regexp.Compile(expr)
	if err != nil {
		return nil, err
	}
	regexCache.Lock()
	if regexCache.m == nil {
		regexCache.m = map[string]*regexp.Regexp{}
	}
	if len(regexCache.m) < maxCachedRegexps {
		regexCache.m[expr] = re
	}
	regexCache.Unlock()
	return re, nil
}

// mustCompileRegex is compileRegex with regexp.MustCompile's panic on a bad pattern.
func mustCompileRegex(expr string) *regexp.Regexp {
	re, err := compileRegex(expr)
	if err != nil {
		return regexp.MustCompile(expr) // panics with regexp's own message
	}
	return re
}

// span counts the integers from start, stepping by step, before passing stop (inclusive:
// up to and including stop), without overflowing for any int arguments.
func span(start, stop, step int, inclusive bool) uint64 {
	var d, s uint64
	switch {
	case step > 0 && (stop > start || inclusive && stop == start):
		d, s = uint64(stop)-uint64(start), uint64(step)
	case step < 0 && (stop < start || inclusive && stop == start):
		d, s = uint64(start)-uint64(stop), uint64(-(step+1))+1
	default:
		return 0
	}
	if !inclusive {
		d-- // the last value before stop
	}
	if q := d / s; q < math.MaxUint64 {
		return q + 1
	}
	return math.MaxUint64
}

func sequence(start, stop, step int) ([]int, error) {
	if step == 0 {
		return nil, errors.New("step must not be 0")
	}
	n := span(start, stop, step, false)
	if n > maxSequence {
		return nil, fmt.Errorf("sequence of %d items is longer than %d", n, maxSequence)
	}
	// Count the items rather than compare with stop: i += step can overflow past stop.
	out := make([]int, 0, n)
	for i, k := start, uint64(0); k < n; i, k = i+step, k+1 {
		out = append(out, i)
	}
	return out, nil
}

// seq mimics sprig's seq (1 to N, or start/stop, or start/step/stop) with a cap.
func seq(params ...int) (string, error) {
	start, step, stop := 1, 1, 0
	switch len(params) {
	case 1:
		stop = params[0]
	case 2:
		start, stop = params[0], params[1]
	case 3:
		start, step, stop = params[0], params[1], params[2]
	default:
		return "", errors.New("seq takes 1 to 3 integers")
	}
	if step == 0 {
		return "", errors.New("seq: step must not be 0")
	}
	if start > stop && step > 0 {
		step = -step
	}
	n := span(start, stop, step, true)
	if n > maxSequence {
		return "", fmt.Errorf("seq: %d items is more than %d", n, maxSequence)
	}
	parts := make([]string, 0, n)
	for i, k := start, uint64(0); k < n; i, k = i+step, k+1 {
		parts = append(parts, strconv.Itoa(i))
	}
	return strings.Join(parts, " "), nil
}

// indent is sprig's indent (prefix "") and nindent (prefix "\n"), with a cap on the spaces
// and on the result.
func indent(n int, s, prefix string) (string, error) {
	if n < 0 || n > maxIndent {
		return "", fmt.Errorf("indent: %d spaces is more than %d", n, maxIndent)
	}
	if lines := strings.Count(s, "\n") + 1; lines > (maxIndentResult-len(s))/max(n, 1) {
		return "", fmt.Errorf("indent: %d lines of %d spaces is more than %d bytes", lines, n, maxIndentResult)
	}
	pad := strings.Repeat(" ", n)
	return prefix + pad + strings.ReplaceAll(s, "\n", "\n"+pad), nil
}

// printf is text/template's printf, refusing widths and precisions over maxWidth (fmt
// would allocate them: {{ printf "%999999999d" 1 }}) and * (a width from an argument).
func printf(format string, args ...any) (string, error) {
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			continue
		}
		for i++; i < len(format); i++ {
			c := format[i]
			switch {
			case c == '*':
				return "", fmt.Errorf("printf %q: widths from arguments (*) are not supported", format)
			case c >= '0' && c <= '9':
				j := i
				for j < len(format) && format[j] >= '0' && format[j] <= '9' {
					j++
				}
				if n, err := strconv.Atoi(format[i:j]); err != nil || n > maxWidth {
					return "", fmt.Errorf("printf %q: width or precision %s is more than %d", format, format[i:j], maxWidth)
				}
				i = j - 1
				continue
			case strings.IndexByte("+-# .[]", c) >= 0:
				continue
			}
			break
		}
	}
	return fmt.Sprintf(format, args...), nil
}

func sortedKeys(maps ...map[string]any) []string {
	var out []string
	for _, m := range maps {
		for k := range m {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

func sortedValues(m map[string]any) []any {
	keys := sortedKeys(m)
	out := make([]any, len(keys))
	for i, k := range keys {
		out[i] = m[k]
	}
	return out
}

// strictIndex is text/template's index, except that a missing map key is an error instead of
// the zero value (which prints as "<no value>").
func strictIndex(item any, keys ...any) (any, error) {
	v := reflect.ValueOf(item)
	for _, k := range keys {
		for v.Kind() == reflect.Interface || v.Kind() == reflect.Pointer {
			if v.IsNil() {
				return nil, fmt.Errorf("index of nil value")
			}
			v = v.Elem()
		}
		switch v.Kind() {
		case reflect.Map:
			kv := reflect.ValueOf(k)
			if !kv.IsValid() || !kv.Type().AssignableTo(v.Type().Key()) {
				return nil, fmt.Errorf("index: key %v is not a %s", k, v.Type().Key())
			}
			e := v.MapIndex(kv)
			if !e.IsValid() {
				return nil, fmt.Errorf("map has no entry for key %q", fmt.Sprint(k))
			}
			v = e
		case reflect.Slice, reflect.Array, reflect.String:
			i, ok := toInt(k)
			if !ok || i < 0 || i >= v.Len() {
				return nil, fmt.Errorf("index %v out of range [0:%d]", k, v.Len())
			}
			v = v.Index(i)
		default:
			return nil, fmt.Errorf("cannot index %s", v.Kind())
		}
	}
	if !v.IsValid() {
		return nil, nil
	}
	return v.Interface(), nil
}

func toInt(k any) (int, bool) {
	switch i := k.(type) {
	case int:
		return i, true
	case int64:
		return int(i), true
	}
	return 0, false
}

// required fails the render with msg when v is nil or an empty string.
func required(msg string, v any) (any, error) {
	if v == nil {
		return nil, errors.New(msg)
	}
	if s, ok := v.(string); ok && s == "" {
		return nil, errors.New(msg)
	}
	return v, nil
}

// toYAML encodes v as block YAML with two-space indentation, without a trailing newline.
// Strings are plain only when no YAML 1.1 or 1.2 reader can take them for anything else
// (the rule of yamlv: yes, 0755, = and << are quoted), multi-line text is a literal block,
// and map keys are sorted. Unlike Helm's, it returns errors instead of an empty string.
func toYAML(v any) (string, error) {
	n, err := yamlNode(v, 0)
	if err != nil {
		return "", fmt.Errorf("toYaml: %w", err)
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(n); err != nil {
		return "", fmt.Errorf("toYaml: %w", err)
	}
	if err := enc.Close(); err != nil {
		return "", fmt.Errorf("toYaml: %w", err)
	}
	return strings.TrimSuffix(buf.String(), "\n"), nil
}

// yamlNode builds the node tree toYAML encodes.
func yamlNode(v any, depth int) (*yaml.Node, error) {
	if depth > 100 {
		return nil, errors.New("value nested more than 100 deep")
	}
	switch t := v.(type) {
	case nil:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}, nil
	case string:
		return stringNode(t), nil
	case bool:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: fmt.Sprint(t)}, nil
	case int, int64, int32, uint, uint64, uint32:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: fmt.Sprint(t)}, nil
	case float64:
		if t == float64(int64(t)) && t < 1e15 && t > -1e15 {
			return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!float", Value: strconv.FormatFloat(t, 'f', 1, 64)}, nil
		}
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!float", Value: strconv.FormatFloat(t, 'g', -1, 64)}, nil
	case []any:
		n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		for _, item := range t {
			c, err := yamlNode(item, depth+1)
			if err != nil {
				return nil, err
			}
			n.Content = append(n.Content, c)
		}
		return n, nil
	case []string:
		items := make([]any, len(t))
		for i, x := range t {
			items[i] = x
		}
		return yamlNode(items, depth)
	case map[string]any:
		n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		for _, k := range sortedKeys(t) {
			c, err := yamlNode(t[k], depth+1)
			if err != nil {
				return nil, err
			}
			n.Content = append(n.Content, stringNode(k), c)
		}
		return n, nil
	case map[string]string:
		m := make(map[string]any, len(t))
		for k, x := range t {
			m[k] = x
		}
		return yamlNode(m, depth)
	}
	return nil, fmt.Errorf("cannot encode %T as YAML", v)
}

// stringNode is a string scalar in the safest readable style.
func stringNode(s string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
	switch {
	case escape.YAMLPlainSafe(s):
	case strings.Contains(s, "\n") && escape.YAMLPrintable(s) && !strings.ContainsAny(s, "\t\r") && strings.TrimSpace(s) != "":
		n.Style = yaml.LiteralStyle
	default:
		n.Style = yaml.DoubleQuotedStyle
	}
	return n
}

// toJSON encodes v as compact JSON without HTML escaping.
func toJSON(v any) (string, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return "", fmt.Errorf("toJson: %w", err)
	}
	return strings.TrimSuffix(buf.String(), "\n"), nil
}

// shJoin quotes an argv for a POSIX shell. It takes a step's []string and the []interface{}
// that sprig's list and append make of one, as long as every element is text.
func shJoin(v any) (string, error) {
	switch argv := v.(type) {
	case []string:
		return escape.ShellJoin(argv)
	case []any:
		words := make([]string, len(argv))
		for i, a := range argv {
			s, ok := a.(string)
			if !ok {
				return "", fmt.Errorf("shJoin: argument %d is %T, not text", i, a)
			}
			words[i] = s
		}
		return escape.ShellJoin(words)
	}
	return "", fmt.Errorf("shJoin: want a list of text, got %T", v)
}
