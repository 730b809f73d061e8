{{/*
Helpers of the airflow pack. Values are read with get and dig, so a key deleted with an explicit
null reads as "not set". Every string that reaches the DAG file goes through pyq (a Python string
literal nothing can break out of); checks fail the render naming the values key.
*/}}

{{/* airflow.text: a value as text; "" for null. */}}
{{- define "airflow.text" -}}
{{- if not (kindIs "invalid" .) }}{{ toString . }}{{ end -}}
{{- end -}}

{{/* airflow.int: a whole number, or "" when not set. Takes (list KEY VALUE). */}}
{{- define "airflow.int" -}}
{{- $key := index . 0 -}}{{- $v := index . 1 -}}
{{- if or (kindIs "map" $v) (kindIs "slice" $v) (kindIs "bool" $v) -}}
{{- fail (printf "%s must be a whole number, not %s" $key (kindOf $v)) -}}
{{- end -}}
{{- $s := include "airflow.text" $v -}}
{{- if and (ne $s "") (not (regexMatch "^[0-9]{1,9}$" $s)) -}}
{{- fail (printf "%s is %q: want a whole number, or \"\" for not set" $key $s) -}}
{{- end -}}
{{- if ne $s "" }}{{ atoi $s }}{{ end -}}
{{- end -}}

{{/* airflow.bool: true, false, or "" when not set. Takes (list KEY VALUE). */}}
{{- define "airflow.bool" -}}
{{- $key := index . 0 -}}{{- $s := include "airflow.text" (index . 1) -}}
{{- if not (has $s (list "" "true" "false")) -}}
{{- fail (printf "%s is %q: want true or false, or \"\" for not set" $key $s) -}}
{{- end -}}
{{- $s -}}
{{- end -}}

{{/* airflow.py: true or false as Python's True or False. */}}
{{- define "airflow.py" -}}
{{- if eq . "true" }}True{{ else }}False{{ end -}}
{{- end -}}

{{/* airflow.enum: one of the allowed words, or "" when not set. Takes (list KEY VALUE ALLOWED). */}}
{{- define "airflow.enum" -}}
{{- $key := index . 0 -}}{{- $s := include "airflow.text" (index . 1) -}}{{- $allowed := index . 2 -}}
{{- if and (ne $s "") (not (has $s $allowed)) -}}
{{- fail (printf "%s is %q: want one of %s" $key $s (join ", " $allowed)) -}}
{{- end -}}
{{- $s -}}
{{- end -}}

{{/* airflow.quantity: a Kubernetes quantity (100m, 512Mi, 1), or "". Takes (list KEY VALUE). */}}
{{- define "airflow.quantity" -}}
{{- $key := index . 0 -}}{{- $s := include "airflow.text" (index . 1) -}}
{{- if and (ne $s "") (not (regexMatch "^[+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?[0-9]+|[munkMGTPE]|[KMGTPE]i)?$" $s)) -}}
{{- fail (printf "%s is %q: want a Kubernetes quantity such as 100m, 512Mi or 2" $key $s) -}}
{{- end -}}
{{- $s -}}
{{- end -}}

{{/* airflow.dns: a Kubernetes object name (DNS-1123 subdomain), or "". Takes (list KEY VALUE WHAT). */}}
{{- define "airflow.dns" -}}
{{- $key := index . 0 -}}{{- $s := include "airflow.text" (index . 1) -}}
{{- if and (ne $s "") (or (gt (len $s) 253) (not (regexMatch "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$" $s))) -}}
{{- fail (printf "%s is %q, which is not a Kubernetes %s name: use lowercase letters, digits, '-' and '.'" $key $s (index . 2)) -}}
{{- end -}}
{{- $s -}}
{{- end -}}

{{/* airflow.labelValue: a Kubernetes label value (also node selector values). Takes (list KEY VALUE). */}}
{{- define "airflow.labelValue" -}}
{{- $key := index . 0 -}}{{- $v := index . 1 -}}
{{- if or (kindIs "map" $v) (kindIs "slice" $v) -}}
{{- fail (printf "%s must be a string, not %s" $key (kindOf $v)) -}}
{{- end -}}
{{- $s := include "airflow.text" $v -}}
{{- if or (gt (len $s) 63) (not (regexMatch "^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$" $s)) -}}
{{- fail (printf "%s is %q, which is not a Kubernetes label value: at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit" $key $s) -}}
{{- end -}}
{{- $s -}}
{{- end -}}

{{/*
airflow.jinjaText: text for a field Airflow renders with Jinja but that wurzel does not wrap in
literal(). Jinja gives back text without markers unchanged, except that it turns \r\n and \r into
\n and drops one final line break: such text is refused rather than changed. Takes (list KEY VALUE).
*/}}
{{- define "airflow.jinjaText" -}}
{{- $key := index . 0 -}}{{- $v := index . 1 -}}
{{- if or (kindIs "map" $v) (kindIs "slice" $v) -}}
{{- fail (printf "%s must be a string, not %s" $key (kindOf $v)) -}}
{{- end -}}
{{- $s := include "airflow.text" $v -}}
{{- if or (contains "\r" $s) (hasSuffix "\n" $s) -}}
{{- fail (printf "%s holds a carriage return or ends with a line break, which Airflow's Jinja would change: remove it" $key) -}}
{{- end -}}
{{- $s -}}
{{- end -}}

{{/* airflow.list: a values list, a single value as a list of one, or [] for null and "" (JSON). Takes VALUE. */}}
{{- define "airflow.list" -}}
{{- if kindIs "slice" . }}{{ toJson . }}
{{- else if eq (include "airflow.text" .) "" }}[]
{{- else }}{{ toJson (list .) }}
{{- end -}}
{{- end -}}

{{/* airflow.timedelta: a number of seconds as a timedelta in its largest whole unit. */}}
{{- define "airflow.timedelta" -}}
{{- $s := int . -}}
{{- if and (ge $s 86400) (eq (mod $s 86400) 0) }}timedelta(days={{ div $s 86400 }})
{{- else if and (ge $s 3600) (eq (mod $s 3600) 0) }}timedelta(hours={{ div $s 3600 }})
{{- else if and (ge $s 60) (eq (mod $s 60) 0) }}timedelta(minutes={{ div $s 60 }})
{{- else }}timedelta(seconds={{ $s }})
{{- end -}}
{{- end -}}

{{/* airflow.var: the Python variable of a step's task: step_<ID with '-' as '_'>. */}}
{{- define "airflow.var" -}}
step_{{ replace "-" "_" .ID }}
{{- end -}}

{{/*
airflow.allowed: "true" when the place (env.NAME, global.env.NAME, steps.<name>.settings.<FIELD>,
steps.<name>.command) is listed in airflow.allowExpressions. Takes (list $ PLACE).
*/}}
{{- define "airflow.allowed" -}}
{{- $allow := get (index . 0).Values.airflow "allowExpressions" -}}
{{- if and (kindIs "slice" $allow) (has (index . 1) $allow) }}true{{ end -}}
{{- end -}}

{{/*
airflow.lit: a string for a field Airflow renders with Jinja, as literal("…"), which Airflow passes
on without rendering; plain "…" when the place is listed in allowExpressions (the user means a
template) or when the string is empty (nothing to render, and Airflow keeps a rendered "" only
as the original value). Takes (list $ PLACE STRING).
*/}}
{{- define "airflow.lit" -}}
{{- $s := index . 2 -}}
{{- if or (eq $s "") (include "airflow.allowed" (list (index . 0) (index . 1))) -}}
{{ pyq $s }}
{{- else -}}
literal({{ pyq $s }})
{{- end -}}
{{- end -}}

{{/* airflow.operator: kubernetes or bash. */}}
{{- define "airflow.operator" -}}
{{- include "airflow.enum" (list "airflow.operator" (get .Values.airflow "operator") (list "kubernetes" "bash")) | required "airflow.operator is empty: use kubernetes or bash" -}}
{{- end -}}

{{/* airflow.version: 2 or 3, the Airflow whose import paths the file uses. */}}
{{- define "airflow.version" -}}
{{- include "airflow.enum" (list "airflow.airflowVersion" (get .Values.airflow "airflowVersion") (list "2" "3")) | required "airflow.airflowVersion is empty: use \"2\" (Airflow 2.8 or later) or \"3\"" -}}
{{- end -}}

{{/* airflow.dagId: airflow.dagId, else the pipeline's name; checked against Airflow's key rules. */}}
{{- define "airflow.dagId" -}}
{{- $id := include "airflow.text" (get .Values.airflow "dagId") -}}
{{- if eq $id "" }}{{ $id = .Pipeline.Name }}{{ end -}}
{{- if or (gt (len $id) 250) (not (regexMatch "^[A-Za-z0-9_.-]+$" $id)) -}}
{{- fail (printf "airflow.dagId %q is not an Airflow dag_id: at most 250 letters, digits, '_', '.' and '-'" $id) -}}
{{- end -}}
{{- $id -}}
{{- end -}}

{{/* airflow.startDate: airflow.startDate as "YEAR, MONTH, DAY" (Python integers). */}}
{{- define "airflow.startDate" -}}
{{- $s := include "airflow.text" (get .Values.airflow "startDate") -}}
{{- $m := regexFind "^[0-9]{4}-[0-9]{2}-[0-9]{2}$" $s -}}
{{- if eq $m "" -}}
{{- fail (printf "airflow.startDate is %q: want a date such as \"2024-01-01\" (YYYY-MM-DD, in quotes)" $s) -}}
{{- end -}}
{{- $parts := splitList "-" $s -}}
{{- $y := atoi (index $parts 0) -}}{{- $mo := atoi (index $parts 1) -}}{{- $d := atoi (index $parts 2) -}}
{{- $days := list 31 28 31 30 31 30 31 31 30 31 30 31 -}}
{{- $max := 0 -}}
{{- if and (ge $mo 1) (le $mo 12) }}{{ $max = index $days (sub $mo 1) }}{{ end -}}
{{- if and (eq $mo 2) (eq (mod $y 4) 0) (or (ne (mod $y 100) 0) (eq (mod $y 400) 0)) }}{{ $max = 29 }}{{ end -}}
{{- if or (lt $y 1970) (lt $d 1) (gt $d $max) -}}
{{- fail (printf "airflow.startDate is %q, which is not a date from 1970 on" $s) -}}
{{- end -}}
{{- printf "%d, %d, %d" $y $mo $d -}}
{{- end -}}

{{/*
airflow.env: the environment of every task as JSON {NAME: VALUE}: global.env, then airflow.env
(which wins). Checks names and values, and that nothing sets WURZEL_RUN_ID or a variable a step
reads from a secret. Takes $.
*/}}
{{- define "airflow.env" -}}
{{- $env := dict -}}
{{- range $src := list "global" "airflow" -}}
{{- $m := get (index $.Values $src) "env" -}}
{{- if and (not (kindIs "map" $m)) (ne (include "airflow.text" $m) "") -}}
{{- fail (printf "%s.env must be a mapping of NAME: value, not %s" $src (kindOf $m)) -}}
{{- end -}}
{{- if kindIs "map" $m -}}
{{- range $name := keys $m -}}
{{- $v := index $m $name -}}
{{- $key := printf "%s.env.%s" $src $name -}}
{{- if not (regexMatch "^[-._a-zA-Z][-._a-zA-Z0-9]*$" $name) -}}
{{- fail (printf "%s: %q is not an environment variable name (letters, digits, '_', '-' and '.', not starting with a digit)" $key $name) -}}
{{- end -}}
{{- if or (kindIs "map" $v) (kindIs "slice" $v) -}}
{{- fail (printf "%s must be a string, number or boolean, not %s" $key (kindOf $v)) -}}
{{- end -}}
{{- if eq $name "WURZEL_RUN_ID" -}}
{{- fail (printf "%s: the DAG sets WURZEL_RUN_ID itself (the Airflow run's run_id); remove it" $key) -}}
{{- end -}}
{{- $_ := set $env $name (dict "value" (include "airflow.text" $v) "place" (ternary (printf "env.%s" $name) $key (eq $src "airflow"))) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- range $.Pipeline.Steps -}}
{{- $step := . -}}
{{- range .Secrets -}}
{{- if hasKey $env .Env -}}
{{- fail (printf "%s is set in global.env or airflow.env, but step %s reads it from secret %s: remove it from the values" .Env $step.Name .SecretName) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- toJson $env -}}
{{- end -}}

{{/*
airflow.argvLines: the words of a step's argv after the program name, grouped one flag and its value
per line, as Python list items at column 0 ("run", "Class",\n"-o", "/data/x",…). Each item is
literal()-wrapped when MIXED is true (some word is an allowed expression), plain otherwise. Every
"$" is doubled: Kubernetes would expand $(NAME) in the pod's args.
Takes (list $ STEP MIXED).
*/}}
{{- define "airflow.argvLines" -}}
{{- $root := index . 0 -}}{{- $step := index . 1 -}}{{- $mixed := index . 2 -}}
{{- $words := rest $step.Argv -}}
{{- /* Written as it goes: $open is true while the current line has words, $started once
       any line has; a flag (-o, -i, --env-prefix, --default) starts a line that its value
       closes; after "--" every word stays on one line. */ -}}
{{- $open := false -}}{{- $started := false -}}
{{- $afterDash := false -}}{{- $pairing := false -}}
{{- range $i, $w := $words -}}
{{- $k8s := replace "$" "$$" $w -}}{{- /* Kubernetes expands $(NAME) in a container's args */ -}}
{{- $q := "" -}}
{{- if $mixed -}}
{{- $place := "" -}}
{{- if $afterDash }}{{ $place = printf "steps.%s.command" $step.Name }}
{{- else if and (gt $i 0) (eq (index $words (sub $i 1)) "--default") }}{{ $place = printf "steps.%s.settings.%s" $step.Name (index (splitn "=" 2 $w) "_0") }}
{{- end -}}
{{- $q = include "airflow.lit" (list $root $place $k8s) -}}
{{- else -}}
{{- $q = pyq $k8s -}}
{{- end -}}
{{- $newLine := false -}}{{- $closes := false -}}
{{- if $afterDash -}}
{{- else if eq $w "--" }}{{ $newLine = true }}{{ $afterDash = true }}
{{- else if $pairing }}{{ $closes = true }}{{ $pairing = false }}
{{- else if eq $w "-o" "-i" "--env-prefix" "--default" }}{{ $newLine = true }}{{ $pairing = true }}
{{- end -}}
{{- if and $open (not $newLine) }}, {{ else if $started }},
{{ end -}}
{{- $q -}}
{{- $open = not $closes -}}{{- $started = true -}}
{{- end -}}
,
{{- end -}}

{{/* airflow.argvMixed: "true" when a word of the step's argv is an allowed expression. Takes (list $ STEP). */}}
{{- define "airflow.argvMixed" -}}
{{- $root := index . 0 -}}{{- $step := index . 1 -}}
{{- $out := "" -}}
{{- range $step.Settings -}}
{{- if include "airflow.allowed" (list $root (printf "steps.%s.settings.%s" $step.Name .Name)) }}{{ $out = "true" }}{{ end -}}
{{- end -}}
{{- if and $step.Custom (include "airflow.allowed" (list $root (printf "steps.%s.command" $step.Name))) }}{{ $out = "true" }}{{ end -}}
{{- $out -}}
{{- end -}}

{{/* airflow.customNote: the comment over a custom step's task: what its image or worker must hold. Takes STEP. */}}
{{- define "airflow.customNote" -}}
{{- $needs := list (index .Command 0 | pyq) -}}
{{- range .Deps }}{{ $needs = append $needs (pyq .) }}{{ end -}}
{{- join ", " $needs -}}
{{- end -}}

{{/* airflow.taskCommon: the keyword arguments every operator gets from its step: retries,
execution_timeout, and the extension point. Each on its own line, starting with a line break.
Takes (list $ STEP). */}}
{{- define "airflow.taskCommon" -}}
{{- $root := index . 0 -}}{{- $step := index . 1 -}}
{{- if $step.HasRetries }}
    retries={{ $step.Retries }},
{{- end }}
{{- if gt $step.TimeoutSeconds 0 }}
    execution_timeout={{ include "airflow.timedelta" $step.TimeoutSeconds }},
{{- end }}
{{- with include "airflow.extend.task" (list $root $step) }}
{{ . | indent 4 }}
{{- end }}
{{- end -}}

{{/* airflow.schedule: the DAG's schedule argument: the cron expression, or None. Airflow's
presets cover the @descriptors but @midnight and @annually, which are written as five fields. */}}
{{- define "airflow.schedule" -}}
{{- $s := .Pipeline.Schedule -}}
{{- if eq $s "" }}None
{{- else if eq $s "@midnight" }}{{ pyq "0 0 * * *" }}
{{- else if eq $s "@annually" }}{{ pyq "0 0 1 1 *" }}
{{- else }}{{ pyq $s }}
{{- end -}}
{{- end -}}

{{/* airflow.tags: the DAG's tags as Python string literals joined by ", ": airflow.tags, then
the pipeline's labels as key=value. Takes $. */}}
{{- define "airflow.tags" -}}
{{- $out := list -}}
{{- $seen := dict -}}
{{- $tags := include "airflow.list" (get .Values.airflow "tags") | fromJson -}}
{{- range $i, $t := $tags -}}
{{- if or (kindIs "map" $t) (kindIs "slice" $t) }}{{ fail (printf "airflow.tags[%d] must be a string, not %s" $i (kindOf $t)) }}{{ end -}}
{{- $s := include "airflow.text" $t -}}
{{- if or (eq $s "") (gt (len $s) 100) }}{{ fail (printf "airflow.tags[%d] is %q: a tag has 1 to 100 characters" $i $s) }}{{ end -}}
{{- if not (hasKey $seen $s) }}{{ $out = append $out (pyq $s) }}{{ $_ := set $seen $s true }}{{ end -}}
{{- end -}}
{{- range $k, $v := .Pipeline.Labels -}}
{{- $s := printf "%s=%s" $k $v -}}
{{- if gt (len $s) 100 }}{{ fail (printf "metadata.labels.%s: the DAG tag %q would be longer than Airflow's 100 characters" $k $s) }}{{ end -}}
{{- if not (hasKey $seen $s) }}{{ $out = append $out (pyq $s) }}{{ $_ := set $seen $s true }}{{ end -}}
{{- end -}}
{{- join ", " $out -}}
{{- end -}}
