{{/*
Partials of the github-actions pack. They return strings (include); the ones that return
structures return JSON, read back with fromJson.
*/}}

{{/* gha.workdir: the folder, relative to the repository root, where `wurzel run` runs. */}}
{{- define "gha.workdir" -}}
{{- $wd := .Values.githubActions.workingDirectory -}}
{{- $key := "githubActions.workingDirectory" -}}
{{- if not $wd -}}
{{- $wd = dir .Pipeline.File -}}
{{- $key = printf "the folder of the pipeline file (%s)" .Pipeline.File -}}
{{- end -}}
{{- if or (isAbs $wd) (eq $wd "..") (hasPrefix "../" $wd) (ne (clean $wd) $wd) -}}
{{- fail (printf "%s is %q, but the working directory must be a clean path inside the repository, relative to its root: set githubActions.workingDirectory to the pipeline's folder (\".\" for the root)" $key $wd) -}}
{{- end -}}
{{- $wd -}}
{{- end -}}

{{/* gha.path: a path of the working directory, as seen from the repository root (where actions resolve paths). */}}
{{- define "gha.path" -}}
{{- $wd := index . 0 -}}{{- $p := index . 1 -}}
{{- if or (isAbs $p) (eq $wd ".") -}}{{ $p }}{{- else -}}{{ clean (printf "%s/%s" $wd $p) }}{{- end -}}
{{- end -}}

{{/*
gha.cmd: a command line for a run: script, as JSON {"cmd": "...", "env": {...}}. Every word is
shell-quoted. A word holding a GitHub expression (only where githubActions.allowExpressions lets
one through) is passed in an env variable instead, so that what GitHub substitutes is never
read as shell text; so is a word that looks like a deprecated workflow command, which
actionlint would flag. "literal" says whether a quoted word holds $, ` or \ (shellcheck
would ask whether they were meant to expand).
*/}}
{{- define "gha.cmd" -}}
{{- $words := list -}}{{- $env := dict -}}{{- $literal := false -}}
{{- range $i, $a := . -}}
{{- if or (contains "${{" $a) (regexMatch "::(save-state|set-output|set-env|add-path)" $a) -}}
{{- $name := printf "WURZEL_ARG_%d" $i -}}
{{- $_ := set $env $name $a -}}
{{- $words = append $words (printf "\"$%s\"" $name) -}}
{{- else -}}
{{- $q := sh $a -}}
{{- if and (ne $q $a) (regexMatch "[$`\\\\]" $a) -}}{{- $literal = true -}}{{- end -}}
{{- $words = append $words $q -}}
{{- end -}}
{{- end -}}
{{- toJson (dict "cmd" (join " " $words) "env" $env "literal" $literal) -}}
{{- end -}}

{{/*
gha.run: the run: script of a step (list root step secrets), as JSON {"script": "...", "env": {...}}: a check
that its secrets are set, then `wurzel run`, repeated on failure when the step has retries.
*/}}
{{- define "gha.run" -}}
{{- $root := index . 0 -}}{{- $step := index . 1 -}}{{- $secrets := index . 2 -}}
{{- $c := include "gha.cmd" $step.Argv | fromJson -}}
{{- $lines := list -}}
{{- range $step.Secrets -}}
{{- $msg := printf "::error::GitHub secret %s is empty or not set; step %s reads it as %s. Add it under Settings > Secrets and variables > Actions." (index $secrets .Env) $step.Name .Env -}}
{{- $lines = append $lines (printf "if [ -z \"${%s:-}\" ]; then\n  echo %s\n  exit 1\nfi" .Env (sh $msg)) -}}
{{- end -}}
{{- $directive := "" -}}
{{- if $c.literal -}}
{{- $directive = "# shellcheck disable=SC1003,SC2016 # $, ` and \\ in single quotes are literal on purpose\n" -}}
{{- end -}}
{{- if $step.Retries -}}
{{- $delay := int $root.Values.githubActions.retryDelaySeconds -}}
{{- $warn := printf "::warning::%s: attempt $attempt of %d failed (exit status $status); next attempt in %ds" $step.Name (add1 $step.Retries) $delay -}}
{{- $lines = append $lines (printf "attempt=1\n%suntil %s; do\n  status=$?\n  if [ \"$attempt\" -gt %d ]; then\n    exit \"$status\"\n  fi\n  echo \"%s\"\n  sleep %d\n  attempt=$((attempt + 1))\ndone" $directive $c.cmd $step.Retries $warn $delay) -}}
{{- else -}}
{{- $lines = append $lines (printf "%s%s" $directive $c.cmd) -}}
{{- end -}}
{{- toJson (dict "script" (join "\n" $lines) "env" $c.env) -}}
{{- end -}}

{{/*
gha.str: a string as a YAML scalar for the given indentation (list string indent preferBlock):
plain when no YAML 1.1 or 1.2 reader can take it for anything else; a literal block (| or |-)
when it spans lines (or preferBlock is set) and is printable text a block holds exactly; else
quoted by yamlv. Every form reads back as exactly the string.
*/}}
{{- define "gha.str" -}}
{{- $s := index . 0 -}}{{- $indent := index . 1 -}}{{- $block := index . 2 -}}
{{- $ctl := "\\x00-\\x08\\x0b-\\x1f\\x7f-\\x{9f}\\x{2028}\\x{2029}\\x{feff}\\x{fffe}\\x{ffff}" -}}
{{- $body := trimSuffix "\n" $s -}}
{{- if eq (include "gha.plain" $s) $s -}}
{{ $s }}
{{- else if and (or $block (contains "\n" $s)) (regexMatch (printf "^[^ \\t\\n%s][^%s]*$" $ctl $ctl) $body) (not (regexMatch "[ \\t]\n|[ \\t]$" $body)) -}}
{{ if hasSuffix "\n" $s }}|{{ else }}|-{{ end }}
{{ regexReplaceAll "(?m)^ +$" (indent (int $indent) $body) "" }}
{{- else -}}
{{ yamlv $s }}
{{- end -}}
{{- end -}}

{{/* gha.script: a run: script at the given indentation (list script indent). */}}
{{- define "gha.script" -}}
{{- $s := index . 0 -}}
{{- if eq (include "gha.plain" $s) $s -}}
{{ $s }}
{{- else -}}
{{ include "gha.str" (list (printf "%s\n" $s) (index . 1) true) }}
{{- end -}}
{{- end -}}

{{/*
gha.yaml: a values tree (list value indent where) as block YAML, each line starting with a newline
and the indentation, every string through gha.str. Unlike toYaml, its scalars are safe for
YAML 1.1 readers too (=, yes, 0755 are quoted). Empty maps and lists are {} and [].
*/}}
{{- define "gha.yaml" -}}
{{- $v := index . 0 -}}{{- $indent := index . 1 -}}{{- $where := index . 2 -}}
{{- $pad := repeat (int $indent) " " -}}
{{- if kindIs "map" $v -}}
{{- range $k := keys $v -}}
{{- $x := index $v $k }}
{{- $key := include "gha.plain" $k }}
{{- if gt (len $key) 1000 }}{{ fail (printf "%s: a key of %d characters (%q…) is longer than YAML allows a key to be" $where (len $k) (trunc 20 $k)) }}{{ end }}
{{ $pad }}{{ $key }}:{{ include "gha.yamlValue" (list $x $indent (printf "%s.%s" $where $k)) }}
{{- end -}}
{{- else if kindIs "slice" $v -}}
{{- range $i, $x := $v -}}
{{- if and (kindIs "map" $x) $x -}}
{{- $nested := include "gha.yaml" (list $x (add $indent 2) (printf "%s[%d]" $where $i)) }}
{{ $pad }}- {{ trimPrefix (printf "\n%s  " $pad) $nested }}
{{- else }}
{{ $pad }}-{{ include "gha.yamlValue" (list $x $indent (printf "%s[%d]" $where $i)) }}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* gha.yamlValue: what follows "key:" or "-" for a value at a parent's indentation (list value indent where). */}}
{{- define "gha.yamlValue" -}}
{{- $x := index . 0 -}}{{- $indent := index . 1 -}}{{- $where := index . 2 -}}
{{- if and (kindIs "map" $x) $x -}}
{{ include "gha.yaml" (list $x (add $indent 2) $where) }}
{{- else if and (kindIs "slice" $x) $x -}}
{{ include "gha.yaml" (list $x (add $indent 2) $where) }}
{{- else if kindIs "map" $x }} {}
{{- else if kindIs "slice" $x }} []
{{- else if kindIs "string" $x }} {{ include "gha.str" (list $x (add $indent 2) false) }}
{{- else if kindIs "invalid" $x }} null
{{- else }} {{ toString $x }}
{{- end -}}
{{- end -}}

{{/* gha.envValue: checks one env entry (values key, name, value) and returns the value as text. */}}
{{- define "gha.envValue" -}}
{{- $key := index . 0 -}}{{- $name := index . 1 -}}{{- $v := index . 2 -}}
{{- if or (not (regexMatch "^[A-Za-z_][A-Za-z0-9_]*$" $name)) (gt (len $name) 255) -}}
{{- fail (printf "%s: %q is not an environment variable name (at most 255 letters, digits and _, not starting with a digit)" $key (trunc 80 $name)) -}}
{{- end -}}
{{- if or (kindIs "map" $v) (kindIs "slice" $v) (kindIs "invalid" $v) -}}
{{- fail (printf "%s.%s must be a string, number or boolean, not %s" $key $name (kindOf $v)) -}}
{{- end -}}
{{- toString $v -}}
{{- end -}}

{{/* gha.ghName: checks a GitHub secret or variable name (values key, name). */}}
{{- define "gha.ghName" -}}
{{- $key := index . 0 -}}{{- $name := index . 1 -}}
{{- if not (and (kindIs "string" $name) (regexMatch "^[A-Za-z_][A-Za-z0-9_]*$" $name) (le (len $name) 255)) -}}
{{- fail (printf "%s is %v, which is not a GitHub secret or variable name (at most 255 letters, digits and _, not starting with a digit)" $key (trunc 80 (toString $name))) -}}
{{- end -}}
{{- $name -}}
{{- end -}}

{{/* gha.userSteps: a list of GitHub steps from values (values key, list), at the indentation of a job's steps. */}}
{{- define "gha.userSteps" -}}
{{- $key := index . 0 -}}{{- $list := index . 1 -}}
{{- range $i, $s := $list -}}
{{- if not (kindIs "map" $s) -}}
{{- fail (printf "%s[%d] must be a map (a GitHub step: name, uses, with, run, …), not %s" $key $i (kindOf $s)) -}}
{{- end -}}
{{- end -}}
{{- include "gha.yaml" (list $list 6 $key) -}}
{{- end -}}

{{/* gha.runsOn: runner labels (values key, list) as a runs-on value. */}}
{{- define "gha.runsOn" -}}
{{- $key := index . 0 -}}{{- $labels := index . 1 -}}
{{- if not (kindIs "slice" $labels) -}}{{- fail (printf "%s must be a list of runner labels ([ubuntu-latest]), not %s" $key (kindOf $labels)) -}}{{- end -}}
{{- if not $labels -}}{{- fail (printf "%s is empty: name at least one runner label" $key) -}}{{- end -}}
{{- $out := list -}}
{{- range $labels -}}
{{- if not (kindIs "string" .) -}}{{- fail (printf "%s: runner label %v is not a string" $key .) -}}{{- end -}}
{{- $out = append $out (yamlv .) -}}
{{- end -}}
{{- if eq (len $out) 1 -}}{{ index $out 0 }}{{- else -}}[{{ join ", " $out }}]{{- end -}}
{{- end -}}

{{/*
gha.plain: a string as a plain YAML scalar when no YAML 1.1 or 1.2 reader can take it for
anything else (actions/checkout@v4, a one-line shell command), else as yamlv quotes it.
*/}}
{{- define "gha.plain" -}}
{{- if and (regexMatch "^[A-Za-z_/$][\\x20-\\x7e]*$" .) (not (regexMatch ": | #|[: ]$|\\t" .)) (not (has (lower .) (list "y" "n" "yes" "no" "on" "off" "true" "false" "null"))) -}}
{{ . }}
{{- else -}}
{{ yamlv . }}
{{- end -}}
{{- end -}}
