{{/*
The BashOperator parts of the airflow pack (airflow.operator: bash). Each helper returns Python at
column 0; the DAG template indents it.
*/}}

{{/*
airflow.bash.command: a step's bash_command. Every word is shell-quoted (shJoin). Airflow renders
bash_command with Jinja and literal() cannot be used for it (the operator inspects the unrendered
command), so the text is made one that Jinja leaves as it is: values hold no Jinja markers (the
engine refuses them), a carriage return is written as bash's $'\r' (Jinja would turn it into a
line feed), a command never ends in a line break (such a word is quoted), and a command ending
in .sh or .bash, which Airflow would load as a template file, gets a trailing space. Takes
(list $ STEP).
*/}}
{{- define "airflow.bash.command" -}}
{{- $root := index . 0 -}}{{- $step := index . 1 -}}
{{- $wurzel := include "airflow.text" (dig "bash" "wurzel" "" $root.Values.airflow) -}}
{{- if eq $wurzel "" }}{{ fail "airflow.bash.wurzel is empty: name the wurzel executable on the workers (wurzel, or an absolute path)" }}{{ end -}}
{{- $exe := sh $wurzel -}}
{{- if and (eq $exe $wurzel) (contains "=" $exe) }}{{ $exe = printf "'%s'" $exe }}{{ end -}}
{{- $cmd := printf "%s%s" $exe (trimPrefix (index $step.Argv 0) (shJoin $step.Argv)) | replace "\r" "'$'\\r''" -}}
{{- if or (hasSuffix ".sh" $cmd) (hasSuffix ".bash" $cmd) }}{{ $cmd = printf "%s " $cmd }}{{ end -}}
{{- $cmd -}}
{{- end -}}

{{/*
airflow.bash.secret: the Jinja expression that reads a secret setting from an Airflow Variable
or Connection when the task runs (airflow.bash.secretSources, else the Variable named
<SECRET>_<KEY>). Takes (list $ SECRET).
*/}}
{{- define "airflow.bash.secret" -}}
{{- $root := index . 0 -}}{{- $s := index . 1 -}}
{{- $sources := dig "bash" "secretSources" dict $root.Values.airflow -}}
{{- $src := dict "variable" $s.CIName -}}
{{- $key := printf "airflow.bash.secretSources.%s" $s.CIName -}}
{{- if and (kindIs "map" $sources) (hasKey $sources $s.CIName) -}}
{{- $src = index $sources $s.CIName -}}
{{- if not (kindIs "map" $src) }}{{ fail (printf "%s must be {variable: NAME} or {connection: ID, field: FIELD}" $key) }}{{ end -}}
{{- end -}}
{{- $var := include "airflow.text" (get $src "variable") -}}
{{- $conn := include "airflow.text" (get $src "connection") -}}
{{- if eq (ne $var "") (ne $conn "") -}}
{{- fail (printf "%s must name exactly one of variable and connection" $key) -}}
{{- end -}}
{{- $name := ternary $var $conn (ne $var "") -}}
{{- if not (regexMatch "^[A-Za-z0-9_.-]{1,250}$" $name) -}}
{{- fail (printf "%s: %q is not an Airflow %s name wurzel can reference: letters, digits, '_', '.' and '-'" $key $name (ternary "Variable" "Connection" (ne $var ""))) -}}
{{- end -}}
{{- $ref := ternary (printf ".%s" $name) (printf ".get('%s')" $name) (regexMatch "^[A-Za-z_][A-Za-z0-9_]*$" $name) -}}
{{- if $var -}}
{{ "{{" }} var.value{{ $ref }} {{ "}}" }}
{{- else -}}
{{- $field := include "airflow.enum" (list (printf "%s.field" $key) (get $src "field") (list "password" "login" "host" "schema" "port" "extra")) | default "password" -}}
{{ "{{" }} conn{{ $ref }}.{{ $field }} {{ "}}" }}
{{- end -}}
{{- end -}}

{{/* airflow.bash.checkSources: every key of airflow.bash.secretSources names a secret some step reads. Takes $. */}}
{{- define "airflow.bash.checkSources" -}}
{{- $sources := dig "bash" "secretSources" dict .Values.airflow -}}
{{- if not (kindIs "map" $sources) }}{{ fail "airflow.bash.secretSources must be a mapping of SECRET_NAME: {variable: NAME} or {connection: ID, field: FIELD}" }}{{ end -}}
{{- $names := dict -}}
{{- range .Pipeline.Steps }}{{ range .Secrets }}{{ $_ := set $names .CIName true }}{{ end }}{{ end -}}
{{- range $name := keys $sources -}}
{{- if not (hasKey $names $name) -}}
{{- fail (printf "airflow.bash.secretSources.%s: no setting of the pipeline reads a secret called %s (secretRef name and key, upper-cased, joined by _); the pipeline's are: %s" $name $name (keys $names | join ", " | default "none")) -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/*
airflow.bash.workdir: the Python expression of the folder `wurzel run` runs in: airflow.bash.workingDirectory
(through a variable's literal text), else WORKDIR computed from the DAG file's own place. Returns
JSON {"expr": …, "fixed": bool}. Takes $.
*/}}
{{- define "airflow.bash.workdir" -}}
{{- $wd := include "airflow.jinjaText" (list "airflow.bash.workingDirectory" (dig "bash" "workingDirectory" "" .Values.airflow)) -}}
{{- if $wd -}}
{{- if or (not (hasPrefix "/" $wd)) (hasSuffix ".sh" $wd) (hasSuffix ".bash" $wd) -}}
{{- fail (printf "airflow.bash.workingDirectory is %q: want an absolute folder on the workers (not ending in .sh or .bash)" $wd) -}}
{{- end -}}
{{- toJson (dict "expr" (pyq $wd) "fixed" true) -}}
{{- else -}}
{{- $dir := dir .Pipeline.File -}}
{{- $rel := ternary "../.." (printf "../../%s" $dir) (eq $dir ".") -}}
{{- toJson (dict "expr" (printf "os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), %s))" (pyq $rel)) "fixed" false) -}}
{{- end -}}
{{- end -}}

{{/* airflow.bash.task: the BashOperator(…) call of a step, at column 0. Takes (list $ STEP). */}}
{{- define "airflow.bash.task" -}}
{{- $root := index . 0 -}}{{- $step := index . 1 -}}
{{- if $step.Image -}}
{{- fail (printf "step %s sets image: %s, but the bash operator runs steps on the Airflow worker, not in an image: set airflow.operator to kubernetes, or remove the step's image" $step.Name $step.Image) -}}
{{- end -}}
{{- if $step.Custom -}}
# A custom step: the workers must hold {{ include "airflow.customNote" $step }}.
{{ end -}}
{{ include "airflow.var" $step }} = BashOperator(
    task_id={{ pyq $step.ID }},
    bash_command={{ include "airflow.bash.command" (list $root $step) | pyq }},
{{- if $step.Secrets }}
    env={
        **ENV,
{{- range $step.Secrets }}
        {{ pyq .Env }}: {{ include "airflow.bash.secret" (list $root .) | pyq }},
{{- end }}
    },
{{- else }}
    env=ENV,
{{- end }}
    append_env=True,
    cwd=WORKDIR,
    skip_on_exit_code=None,
{{- include "airflow.taskCommon" (list $root $step) }}
)
{{- end -}}
