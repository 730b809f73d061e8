package validators

import (
	"encoding/json"
	"fmt"
)

// Actionlint lints GitHub Actions workflow files with actionlint. The
// scripts of `run:` steps are checked with shellcheck (and Python steps with
// pyflakes3 when it is installed).
func Actionlint(files ...string) ([]Finding, error) {
	const tool = "actionlint"
	args := []string{"-no-color", "-format", "{{json .}}"}
	shellcheck, err := Lookup("shellcheck")
	if err != nil {
		return nil, err
	}
	args = append(args, "-shellcheck", shellcheck)
	if pyflakes, err := Lookup("pyflakes3"); err == nil {
		args = append(args, "-pyflakes", pyflakes)
	}
	res, err := run("", nil, tool, append(append(args, "--"), files...)...)
	if err != nil {
		return nil, err
	}
	if res.code != 0 && res.code != 1 {
		return nil, res.unexpected(tool)
	}
	var errs []struct {
		Message  string `json:"message"`
		Filepath string `json:"filepath"`
		Line     int    `json:"line"`
		Column   int    `json:"column"`
		Kind     string `json:"kind"`
	}
	if res.stdout != "" {
		if err := json.Unmarshal([]byte(res.stdout), &errs); err != nil {
			return nil, fmt.Errorf("reading actionlint output: %w", err)
		}
	}
	if res.code == 1 && len(errs) == 0 {
		return nil, res.unexpected(tool)
	}
	out := make([]Finding, 0, len(errs))
	for _, e := range errs {
		out = append(out, Finding{Tool: tool, File: e.Filepath, Line: e.Line, Message: fmt.Sprintf("%s [%s]", e.Message, e.Kind)})
	}
	return out, nil
}
