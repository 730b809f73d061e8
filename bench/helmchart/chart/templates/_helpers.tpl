{{/* w.id: a step name as a DNS-1123 label. */}}
{{- define "w.id" -}}
{{- regexReplaceAll "[^a-z0-9]+" (lower .) "-" | trimAll "-" -}}
{{- end -}}

{{/* w.counts: how often each step class occurs, as JSON. Takes $. */}}
{{- define "w.counts" -}}
{{- $counts := dict -}}
{{- range .Values.pipeline.steps }}{{ if .class }}{{ $_ := set $counts .class (add1 (get $counts .class | default 0)) }}{{ end }}{{ end -}}
{{- toJson $counts -}}
{{- end -}}

{{/* w.prefix: a step's env prefix. Takes (list COUNTS step). */}}
{{- define "w.prefix" -}}
{{- $counts := index . 0 -}}{{- $s := index . 1 -}}
{{- if and $s.class (eq (int (get $counts $s.class)) 1) -}}{{ upper $s.class }}{{- else -}}{{ regexReplaceAll "[^A-Z0-9]+" (upper $s.name) "_" }}{{- end -}}
{{- end -}}

{{/* w.argv: the step's `wurzel run` command line as JSON. Takes (dict "counts" COUNTS "step" s "dir" DATADIR "defaults" BOOL). */}}
{{- define "w.argv" -}}
{{- $counts := .counts -}}{{- $s := .step -}}{{- $dir := .dir -}}
{{- $a := list "wurzel" "run" -}}
{{- if $s.class }}{{ $a = append $a $s.class }}{{ end -}}
{{- $a = concat $a (list "-o" (printf "%s/%s" $dir $s.name)) -}}
{{- range $s.dependsOn }}{{ $a = concat $a (list "-i" (printf "%s/%s" $dir .)) }}{{ end -}}
{{- $prefix := include "w.prefix" (list $counts $s) -}}
{{- if or (not $s.class) (ne $prefix (upper $s.class)) }}{{ $a = concat $a (list "--env-prefix" $prefix) }}{{ end -}}
{{- if .defaults -}}
{{- range $k := keys ($s.settings | default dict) | sortAlpha }}{{ $a = concat $a (list "--default" (printf "%s=%v" $k (index $s.settings $k))) }}{{ end -}}
{{- end -}}
{{- if not $s.class }}{{ $a = concat $a (list "--") $s.command }}{{ end -}}
{{- toJson $a -}}
{{- end -}}

{{/* w.securityContext: the container security context, at column 0. */}}
{{- define "w.securityContext" -}}
{{- $sc := . -}}
allowPrivilegeEscalation: {{ $sc.allowPrivilegeEscalation }}
capabilities:
  drop:
{{- range $sc.dropCapabilities }}
    - {{ . }}
{{- end }}
runAsNonRoot: {{ $sc.runAsNonRoot }}
seccompProfile:
  type: {{ $sc.seccompProfileType }}
{{- end -}}

{{/* w.resources: requests and limits, at column 0. */}}
{{- define "w.resources" -}}
limits:
  memory: {{ .memory_limit | quote }}
requests:
  cpu: {{ .cpu_request | quote }}
  memory: {{ .memory_request | quote }}
{{- end -}}
