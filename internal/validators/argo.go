package validators

import "strings"

// Argo lints Argo Workflows manifests (Workflow, CronWorkflow,
// WorkflowTemplate, ClusterWorkflowTemplate; other kinds are ignored) with
// tools/argo-validate, which runs Argo's own validation code in lint mode after
// strict decoding, as `argo lint --offline` does. Templates referenced with
// workflowTemplateRef or templateRef must be among the files. Files without
// any Argo document are a finding.
func Argo(files ...string) ([]Finding, error) {
	const tool = "argo-validate"
	res, err := run("", nil, tool, files...)
	if err != nil {
		return nil, err
	}
	if res.code == 0 {
		return nil, nil
	}
	if res.code != 1 {
		return nil, res.unexpected(tool)
	}
	// Lines read FILE: MESSAGE; a message that spans lines continues the previous one.
	var out []Finding
	for _, line := range strings.Split(strings.TrimRight(res.stdout, "\n"), "\n") {
		file, msg, ok := strings.Cut(line, ": ")
		switch {
		case line == "":
		case ok && isOneOf(file, files):
			out = append(out, Finding{Tool: tool, File: file, Message: msg})
		case strings.HasPrefix(line, "found nothing to lint"):
			out = append(out, Finding{Tool: tool, File: strings.Join(files, " "), Message: "no Argo Workflows resource found"})
		case len(out) > 0:
			out[len(out)-1].Message += "\n" + line
		default:
			out = append(out, Finding{Tool: tool, File: strings.Join(files, " "), Message: line})
		}
	}
	if len(out) == 0 {
		return nil, res.unexpected(tool)
	}
	return out, nil
}

// isOneOf reports whether file is one of the given paths or inside one of them.
func isOneOf(file string, paths []string) bool {
	for _, p := range paths {
		if file == p || strings.HasPrefix(file, strings.TrimSuffix(p, "/")+"/") {
			return true
		}
	}
	return false
}
