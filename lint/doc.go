// Package lint checks a pipeline, its values and every file it renders to, offline, and
// reports every problem at once, each with its file, line, path and severity.
//
// What is checked:
//
//   - the pipeline (strict load, validation, warnings) and the values layers (files that do
//     not parse, type conflicts between layers, unknown keys with a did-you-mean);
//   - each selected backend: its names and schedule rules, expressions its target would
//     evaluate, and a render of every template (template errors, <no value>, broken YAML);
//   - each rendered file: YAML against the JSON schema of its target embedded in the binary
//     (package schemas: Argo Workflow and CronWorkflow, Kubernetes CronJob, ConfigMap and
//     PersistentVolumeClaim, GitHub workflows, GitLab CI, dvc.yaml), names the target
//     accepts, references a schema cannot see (needs, depends, templates), and Python for
//     closed strings and balanced brackets (no more: python3 -m py_compile is the real check);
//   - literal secrets anywhere (package secret): in the pipeline and values, where they are
//     written, and in rendered files when a template writes one.
//
// Nothing runs an external tool; internal/validators does that in tests.
package lint
