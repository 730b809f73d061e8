package validators

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"
)

// GitLabCI checks .gitlab-ci.yml files with `gitlab-ci-local --list`, which
// validates against GitLab's ci.json and also checks stages, needs and
// extends. Each file is checked alone, as the .gitlab-ci.yml of an empty
// temporary directory (the tool writes state next to the file), so local
// includes are not resolved.
func GitLabCI(files ...string) ([]Finding, error) {
	var out []Finding
	for _, f := range files {
		fs, err := gitlabCI(f)
		if err != nil {
			return out, err
		}
		out = append(out, fs...)
	}
	return out, nil
}

func gitlabCI(file string) ([]Finding, error) {
	const tool = "gitlab-ci-local"
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "wurzel-gitlab-ci-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	if err := os.WriteFile(filepath.Join(dir, ".gitlab-ci.yml"), data, 0o644); err != nil {
		return nil, err
	}
	// --cwd must be relative; the directory is the command's working directory.
	res, err := run(dir, []string{"NO_COLOR=1", "FORCE_COLOR=0"}, tool,
		"--list", "--cwd", ".", "--file", ".gitlab-ci.yml", "--color=false")
	if err != nil {
		return nil, err
	}
	if res.code == 0 {
		return nil, nil
	}
	var doc *yaml.Node
	if docs, _ := parseDocuments(data); len(docs) > 0 {
		doc = docs[0]
	}
	var out []Finding
	for _, msg := range gitlabMessages(res.stderr + "\n" + res.stdout) {
		out = append(out, Finding{Tool: tool, File: file, Line: lineOf(doc, gitlabPath(msg)), Message: msg})
	}
	if len(out) == 0 {
		return nil, res.unexpected(tool)
	}
	return out, nil
}

var (
	gitlabUnexpectedRE = regexp.MustCompile(`^'([^']+)' property is not expected to be here at (\S+) \[#`)
	gitlabAtRE         = regexp.MustCompile(` at (\S+) \[#`)
	gitlabJobRE        = regexp.MustCompile(`(?: for (\S+)$| for (\S+) could not be found$)`)
)

// gitlabPath returns the keys a gitlab-ci-local message points at: the
// dotted path of a schema error (plus the unexpected property), or the job a
// stage or needs error names.
func gitlabPath(msg string) []string {
	if m := gitlabUnexpectedRE.FindStringSubmatch(msg); m != nil {
		return append(strings.Split(m[2], "."), m[1])
	}
	if m := gitlabAtRE.FindStringSubmatch(msg); m != nil {
		return strings.Split(m[1], ".")
	}
	if m := gitlabJobRE.FindStringSubmatch(msg); m != nil {
		return []string{m[1] + m[2]}
	}
	return nil
}

// gitlabNoise starts the lines gitlab-ci-local prints about its environment
// (no git repository, timings, advice) rather than about the file.
var gitlabNoise = []string{
	"Using fallback", "Command failed with exit code", "fatal: not a git repository",
	"Unable to retrieve default remote branch", "parsing and downloads finished",
	"json schema validated", "For further troubleshooting",
}

// gitlabMessages extracts the problems from gitlab-ci-local's output: the
// bullet list under "Invalid .gitlab-ci.yml configuration!", or else every
// line that is not noise.
func gitlabMessages(output string) []string {
	lines := strings.Split(output, "\n")
	for i, l := range lines {
		if strings.TrimSpace(l) != "Invalid .gitlab-ci.yml configuration!" {
			continue
		}
		var out []string
		for _, b := range lines[i+1:] {
			b = strings.TrimSpace(b)
			if b == "" {
				break
			}
			out = append(out, strings.TrimSpace(strings.TrimPrefix(b, "•")))
		}
		return out
	}
	var out []string
	for _, l := range lines {
		l = strings.TrimSpace(l)
		if l == "" || hasAnyPrefix(l, gitlabNoise) {
			continue
		}
		out = append(out, l)
	}
	return out
}

func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}
