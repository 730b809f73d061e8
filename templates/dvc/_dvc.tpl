{{/* dvc.cmd: the shell command of one stage. Settings come from the env file. */}}
{{- define "dvc.cmd" -}}
{{- $root := index . 0 -}}{{- $step := index . 1 -}}
{{- $argv := $step.ArgvNoDefaults -}}
{{- if not $root.Values.dvc.encapsulateEnv -}}{{- $argv = append $argv "--no-encapsulate-env" -}}{{- end -}}
{{- $envFile := $root.Values.dvc.envFile -}}
{{- if not (contains "/" $envFile) -}}{{- $envFile = printf "./%s" $envFile -}}{{- end -}}
. {{ sh $envFile }} && WURZEL_RUN_ID="$(cat -- {{ sh (printf "%s/.wurzel_run_id" $root.Pipeline.DataDir) }})" && export WURZEL_RUN_ID && {{ shJoin $argv }}
{{- end -}}

{{/* dvc.export: one line of the env file; a variable already set wins. */}}
{{- define "dvc.export" -}}
{{- $name := index . 0 -}}{{- $value := index . 1 -}}
[ -n "${{ "{" }}{{ $name }}+set}" ] || export {{ $name }}={{ sh $value }}
{{- end -}}
