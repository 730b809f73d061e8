{{/*
Extension points of the argo pack. They render nothing here. To add to every workflow what
values cannot express (pod GC, TTLs, sidecars, init containers, hooks), override only this file:

  wurzel templates export argo DIR     then edit DIR/argo/_extend.tpl
  wurzel render --templates-dir DIR

Each block returns YAML at column 0 (wurzel indents it), or nothing. A key the pack already
writes must not be repeated: the rendered file would hold it twice and fail to parse.
*/}}

{{/* argo.extend.spec: more keys of the workflow spec (a CronWorkflow's workflowSpec). Takes $. */}}
{{- define "argo.extend.spec" -}}
{{- end -}}

{{/* argo.extend.template: more keys of each step's template (sidecars, initContainers,
podSpecPatch per step, …). Takes (list $ $step). */}}
{{- define "argo.extend.template" -}}
{{- end -}}

{{/* argo.extend.container: more keys of each step's main container (imagePullPolicy,
workingDir, ports, …). Takes (list $ $step). */}}
{{- define "argo.extend.container" -}}
{{- end -}}
