{{/*
Partials shared by every pack. Call them with include, which returns a string:
  {{ include "wurzel.image" (list $ $step) }}
*/}}

{{/* wurzel.image: the image for a step: the step's own, then the backend's, then global, then wurzel's. */}}
{{- define "wurzel.image" -}}
{{- $root := index . 0 -}}{{- $step := index . 1 -}}{{- $backend := index . 2 -}}
{{- if $step.Image -}}{{ $step.Image }}
{{- else if $backend -}}{{ $backend }}
{{- else if $root.Values.global.image -}}{{ $root.Values.global.image }}
{{- else -}}{{ $root.Wurzel.Image }}
{{- end -}}
{{- end -}}
