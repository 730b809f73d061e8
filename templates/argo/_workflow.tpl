{{/* argo.checks: what Argo and Kubernetes would reject later, said now. Takes (list $ NAME CRON GENERATE). */}}
{{- define "argo.checks" -}}
{{- $root := index . 0 -}}{{- $name := index . 1 -}}{{- $cron := index . 2 -}}{{- $generate := index . 3 -}}
{{- $v := $root.Values.argo -}}
{{- if not (regexMatch "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$" $name) -}}
{{- fail (printf "argo.name %q is not a Kubernetes object name: use lowercase letters, digits, '-' and '.'" $name) -}}
{{- end -}}
{{- if and $cron (not $generate) (gt (len $name) 52) -}}
{{- fail (printf "the CronWorkflow name %q is %d characters long; Argo allows 52 (it appends a timestamp to name each run): set a shorter argo.name" $name (len $name)) -}}
{{- end -}}
{{- if gt (len $name) 63 -}}
{{- fail (printf "the workflow name %q is %d characters long; Argo allows 63: set a shorter argo.name" $name (len $name)) -}}
{{- end -}}
{{- $ns := get $v "namespace" | toString -}}
{{- if and $ns (or (not (regexMatch "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$" $ns)) (gt (len $ns) 63)) -}}
{{- fail (printf "argo.namespace %q is not a Kubernetes namespace name: use lowercase letters, digits and '-'" $ns) -}}
{{- end -}}
{{- $entry := get $v "entrypoint" | toString -}}
{{- if not (regexMatch "^[a-zA-Z0-9][-a-zA-Z0-9]*$" $entry) -}}
{{- fail (printf "argo.entrypoint %q is not an Argo template name: use letters, digits and '-', starting with a letter or digit" $entry) -}}
{{- end -}}
{{- range $root.Pipeline.Steps -}}
{{- if eq $entry (include "argo.template" .) -}}
{{- fail (printf "argo.entrypoint %q is the name of step %s's template: choose another entrypoint" $entry .Name) -}}
{{- end -}}
{{- end -}}
{{- if not (hasPrefix "/" $root.Pipeline.DataDir) -}}
{{- fail (printf "argo.dataDir is %q: want an absolute path inside the container, such as /usr/app" $root.Pipeline.DataDir) -}}
{{- end -}}
{{- end -}}

{{/* argo.workflowSpec: the Workflow's spec (a CronWorkflow's workflowSpec), at column 0. */}}
{{- define "argo.workflowSpec" -}}
{{- $root := . -}}
{{- $v := .Values.argo -}}
{{- $entry := get $v "entrypoint" | toString -}}
entrypoint: {{ yamlv $entry }}
{{- with get $v "serviceAccountName" | toString }}
serviceAccountName: {{ yamlv . }}
{{- end }}
{{- with include "argo.int" (list "argo.activeDeadlineSeconds" (get $v "activeDeadlineSeconds")) }}
activeDeadlineSeconds: {{ . }}
{{- end }}
{{- with get $v "nodeSelector" }}
nodeSelector:
{{- range $k := keys . }}
{{- include "wurzel.k8sLabelKey" (list "argo.nodeSelector" $k) }}
{{- $x := index $v.nodeSelector $k | include "argo.text" }}
{{- include "wurzel.k8sLabelValue" (list "argo.nodeSelector" $k $x) }}
  {{ yamlv $k }}: {{ yamlv $x }}
{{- end }}
{{- end }}
{{- with include "argo.securityContext" (list "argo.podSecurityContext" (get $v "podSecurityContext") "pod") }}
securityContext:
{{ . | indent 2 }}
{{- end }}
{{- with get $v "podSpecPatch" | toString }}
{{ toYaml (dict "podSpecPatch" .) }}
{{- end }}
{{- with include "argo.volumes" . }}
volumes:
{{ . | indent 2 }}
{{- end }}
{{- with include "argo.volumeClaimTemplates" . }}
volumeClaimTemplates:
{{ . | indent 2 }}
{{- end }}
templates:
  - name: {{ yamlv $entry }}
    dag:
      tasks:
{{- range .Pipeline.Steps }}
        - name: {{ yamlv .ID }}
          template: {{ include "argo.template" . }}
{{- if .Needs }}
          depends: {{ join " && " .Needs | yamlv }}
          arguments:
            artifacts:
{{- range .Inputs }}
              - name: {{ include "argo.artifact" . }}
                from: "{{ "{{" }}tasks.{{ .ID }}.outputs.artifacts.{{ include "argo.artifact" . }}{{ "}}" }}"
{{- end }}
{{- end }}
{{- end }}
{{- range .Pipeline.Steps }}
{{ include "argo.step" (list $root .) | indent 2 }}
{{- end }}
{{- with include "argo.extend.spec" . }}
{{ . }}
{{- end }}
{{- end -}}

{{/* argo.step: the container template of one step, as a list item at column 0. Takes (list $ $step). */}}
{{- define "argo.step" -}}
{{- $root := index . 0 -}}{{- $step := index . 1 -}}
{{- $v := $root.Values.argo -}}
{{- $c := dig "container" dict $v -}}
{{- $mode := include "argo.artifactMode" $root -}}
- name: {{ include "argo.template" $step }}
{{- with get $c "annotations" }}
  metadata:
    annotations:
{{- range $k := keys . }}
{{- include "wurzel.k8sLabelKey" (list "argo.container.annotations" $k) }}
      {{ yamlv $k }}: {{ index $c.annotations $k | include "argo.text" | yamlv }}
{{- end }}
{{- end }}
{{- with include "argo.retryStrategy" (list $root $step) }}
  retryStrategy:
{{ . | indent 4 }}
{{- end }}
{{- if gt $step.TimeoutSeconds 0 }}
  activeDeadlineSeconds: {{ $step.TimeoutSeconds }}
{{- end }}
{{- with include "argo.extend.template" (list $root $step) }}
{{ . | indent 2 }}
{{- end }}
{{- if $step.Inputs }}
  inputs:
    artifacts:
{{- range $step.Inputs }}
      - name: {{ include "argo.artifact" . }}
        path: {{ yamlv .Dir }}
        recurseMode: true
{{- with $mode }}
        mode: {{ . }}
{{- end }}
{{- end }}
{{- end }}
  outputs:
    artifacts:
      - name: {{ include "argo.artifact" $step }}
        path: {{ yamlv $step.OutputDir }}
        archive:
          none: {}
        recurseMode: true
{{- with $mode }}
        mode: {{ . }}
{{- end }}
{{- with include "argo.s3" (list $root $step) }}
        s3:
{{ . | indent 10 }}
{{- end }}
  container:
{{- if $step.Custom }}
{{- $needs := list (index $step.Command 0 | yamlv) }}
{{- range $step.Deps }}{{ $needs = append $needs (yamlv .) }}{{ end }}
    # A custom step: its image must hold wurzel and {{ join ", " $needs }}.
{{- end }}
    image: {{ include "wurzel.image" (list $root $step (get $c "image" | toString)) | yamlv }}
    command:
{{- range $step.Argv }}
      - {{ include "argo.k8sText" . | yamlv }}
{{- end }}
    env:
{{ include "argo.env" (list $root $step) | indent 6 }}
{{- with include "argo.envFrom" $root }}
    envFrom:
{{ . | indent 6 }}
{{- end }}
{{- with include "argo.resources" $root }}
    resources:
{{ . | indent 6 }}
{{- end }}
{{- with include "argo.securityContext" (list "argo.container.securityContext" (get $c "securityContext") "container") }}
    securityContext:
{{ . | indent 6 }}
{{- end }}
{{- with include "argo.volumeMounts" $root }}
    volumeMounts:
{{ . | indent 6 }}
{{- end }}
{{- with include "argo.extend.container" (list $root $step) }}
{{ . | indent 4 }}
{{- end }}
{{- end -}}
