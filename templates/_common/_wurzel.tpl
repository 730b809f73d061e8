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

{{/* wurzel.controlChars: the body of a regexp character class (no brackets) of what a one-line
value must not hold: C0 and C1 controls, DEL, the Unicode line and paragraph separators, the
byte-order mark and the noncharacters U+FFFE and U+FFFF. Use it as
  {{ regexMatch (printf "[%s]" (include "wurzel.controlChars" "")) $value }} */}}
{{- define "wurzel.controlChars" -}}\x00-\x1f\x7f-\x{9f}\x{2028}\x{2029}\x{feff}\x{fffe}\x{ffff}{{- end -}}
