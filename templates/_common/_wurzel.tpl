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

{{/* wurzel.k8sLabelKey: checks a Kubernetes label, annotation or node selector key (a qualified
name: [prefix/]name). Takes (list WHERE KEY). Prints nothing. */}}
{{- define "wurzel.k8sLabelKey" -}}
{{- $where := index . 0 -}}{{- $k := index . 1 -}}
{{- $name := $k -}}{{- $prefix := "" -}}
{{- if contains "/" $k }}{{ $prefix = regexReplaceAll "/.*$" $k "" }}{{ $name = regexReplaceAll "^[^/]*/" $k "" }}{{ end -}}
{{- $nameOK := and (le (len $name) 63) (regexMatch "^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$" $name) -}}
{{- $prefixOK := or (not (contains "/" $k)) (and (le (len $prefix) 253) (regexMatch "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$" $prefix)) -}}
{{- if not (and $nameOK $prefixOK) -}}
{{- fail (printf "%s: key %s is not a Kubernetes label or annotation key: [prefix/]name, the name at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit, the prefix a DNS subdomain" $where (trunc 80 $k | yamlq)) -}}
{{- end -}}
{{- end -}}

{{/* wurzel.k8sLabelValue: checks a Kubernetes label value (node selector values are label
values too). Takes (list WHERE KEY VALUE). Prints nothing. */}}
{{- define "wurzel.k8sLabelValue" -}}
{{- $v := index . 2 -}}
{{- if not (and (le (len $v) 63) (regexMatch "^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$" $v)) -}}
{{- fail (printf "%s: the value of %s, %s, is not a Kubernetes label value: at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit" (index . 0) (index . 1) (trunc 80 $v | yamlq)) -}}
{{- end -}}
{{- end -}}
