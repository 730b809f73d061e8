// Package templates holds the built-in backend template packs, one directory per backend,
// and _common/ with the partials and global values every pack shares.
//
// A pack is pack.yaml (name, outputs, name rules, capabilities), values.yaml (every key its
// templates read, with its default), *.tmpl outputs and _*.tpl partials. Organisations
// override any of these files with `wurzel render --templates-dir DIR`.
package templates

import "embed"

// FS holds the packs.
//
//go:embed all:_common all:airflow all:argo all:dvc all:github-actions all:gitlab-ci all:k8s-cronjob
var FS embed.FS
