package validators

import (
	_ "embed"
	"os"
	"regexp"
	"strconv"
	"strings"
)

// astCheck is the structural check of DAG files, run with python3.
//
//go:embed airflow_ast_check.py
var astCheck string

// Airflow checks Airflow DAG files without Airflow: `python3 -m py_compile`
// (syntax), pyflakes3 (undefined names such as a forgotten import or a
// misspelt task variable, unused imports) and airflow_ast_check.py (a DAG
// call with a literal dag_id, literal unique task_ids, dependencies between
// known task variables, no cycle, a well-formed cron schedule). A file that
// does not compile gets only the syntax finding.
func Airflow(files ...string) ([]Finding, error) {
	cache, err := os.MkdirTemp("", "wurzel-pycache-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(cache)
	env := []string{"PYTHONPYCACHEPREFIX=" + cache, "PYTHONDONTWRITEBYTECODE=1"}

	var compiled []string
	var findings []Finding
	for _, f := range files {
		res, err := run("", env, "python3", "-m", "py_compile", f)
		if err != nil {
			return nil, err
		}
		if res.code == 0 {
			compiled = append(compiled, f)
			continue
		}
		findings = append(findings, syntaxFinding(f, res.stderr))
	}
	if len(compiled) == 0 {
		return findings, nil
	}

	res, err := run("", env, "pyflakes3", compiled...)
	if err != nil {
		return nil, err
	}
	if res.code != 0 && res.code != 1 {
		return nil, res.unexpected("pyflakes3")
	}
	findings = append(findings, positioned("pyflakes3", res.stdout+res.stderr, compiled)...)

	res, err = run("", env, "python3", append([]string{"-c", astCheck}, compiled...)...)
	if err != nil {
		return nil, err
	}
	if res.code != 0 && res.code != 1 {
		return nil, res.unexpected("airflow_ast_check.py")
	}
	findings = append(findings, positioned("airflow_ast_check.py", res.stdout, compiled)...)
	return findings, nil
}

var pyLineRE = regexp.MustCompile(`line (\d+)`)

// syntaxFinding turns py_compile's traceback into one finding.
func syntaxFinding(file, stderr string) Finding {
	f := Finding{Tool: "py_compile", File: file}
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	if m := pyLineRE.FindStringSubmatch(stderr); m != nil {
		f.Line, _ = strconv.Atoi(m[1])
	}
	f.Message = strings.TrimSpace(lines[len(lines)-1])
	return f
}

// positioned reads FILE:LINE[:COL]: MESSAGE lines (the format of pyflakes and
// of the AST check) for the given files; other lines (source excerpts) are
// skipped.
func positioned(tool, output string, files []string) []Finding {
	var out []Finding
	for _, l := range strings.Split(output, "\n") {
		for _, f := range files {
			rest, ok := strings.CutPrefix(l, f+":")
			if !ok {
				continue
			}
			num, msg, ok := strings.Cut(rest, ": ")
			if !ok {
				continue
			}
			lineStr, _, _ := strings.Cut(num, ":")
			line, err := strconv.Atoi(lineStr)
			if err != nil {
				continue
			}
			out = append(out, Finding{Tool: tool, File: f, Line: line, Message: msg})
			break
		}
	}
	return out
}
