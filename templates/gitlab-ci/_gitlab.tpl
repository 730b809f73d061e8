{{/*
Partials of the gitlab-ci pack. Strings from values or the pipeline reach the file only through
yamlv/yamlq (YAML structure) and sh/shJoin (job scripts); variables are written with
expand: false unless the user opted in (gitlab.allowExpressions).
*/}}

{{/* gitlab.literal: fails when a value GitLab would expand holds "$" and its place is not in
allowExpressions. Arguments: (list VALUE PLACE ALLOW). Prints nothing. */}}
{{- define "gitlab.literal" -}}
{{- $value := index . 0 -}}{{- $place := index . 1 -}}{{- $allow := index . 2 -}}
{{- if and (contains "$" $value) (not (has $place $allow)) -}}
{{- $key := ternary $place (printf "gitlab.%s" $place) (hasPrefix "global." $place) -}}
{{- fail (printf "%s: %s holds \"$\", which GitLab expands as a variable; remove it, or if you mean a GitLab variable add %s to gitlab.allowExpressions" $key (yamlq $value) (yamlq $place)) -}}
{{- end -}}
{{- end -}}

{{/* gitlab.flow: a list of strings as a YAML flow sequence. */}}
{{- define "gitlab.flow" -}}
[{{ range $i, $e := . }}{{ if $i }}, {{ end }}{{ yamlv (toString $e) }}{{ end }}]
{{- end -}}

{{/* gitlab.flowValue: any values tree as one line of flow YAML: maps {k: v}, lists [a, b], strings
through yamlv (safe for YAML 1.1 and 1.2 readers and inside flow collections), numbers and
booleans as they are. Unlike toYaml, no string can be read back as another type. */}}
{{- define "gitlab.flowValue" -}}
{{- if kindIs "map" . -}}
{{- $m := . -}}
{{ "{" }}{{ range $i, $k := keys $m }}{{ if $i }}, {{ end }}{{ yamlv $k }}: {{ include "gitlab.flowValue" (index $m $k) }}{{ end }}{{ "}" }}
{{- else if kindIs "slice" . -}}
[{{ range $i, $e := . }}{{ if $i }}, {{ end }}{{ include "gitlab.flowValue" $e }}{{ end }}]
{{- else if kindIs "string" . -}}
{{ yamlv . }}
{{- else if kindIs "invalid" . -}}
null
{{- else if or (kindIs "bool" .) (kindIs "int64" .) (kindIs "int" .) (kindIs "float64" .) -}}
{{ toString . }}
{{- else -}}
{{ fail (printf "unexpected value of type %s" (typeOf .)) }}
{{- end -}}
{{- end -}}

{{/* gitlab.duration: whole seconds as a GitLab duration ("1h 30m", "45s"). */}}
{{- define "gitlab.duration" -}}
{{- $s := int . -}}
{{- $parts := list -}}
{{- if ge $s 3600 }}{{ $parts = append $parts (printf "%dh" (div $s 3600)) }}{{ end -}}
{{- if mod (div $s 60) 60 }}{{ $parts = append $parts (printf "%dm" (mod (div $s 60) 60)) }}{{ end -}}
{{- if mod $s 60 }}{{ $parts = append $parts (printf "%ds" (mod $s 60)) }}{{ end -}}
{{ join " " $parts }}
{{- end -}}

{{/* gitlab.var: one job variable, a string; literal unless expand is true.
Arguments: (list NAME VALUE EXPAND). */}}
{{- define "gitlab.var" -}}
{{- $name := index . 0 -}}{{- $value := index . 1 -}}{{- $expand := index . 2 -}}
{{ yamlv $name }}: {value: {{ yamlq $value }}, expand: {{ if $expand }}true{{ else }}false{{ end }}}
{{- end -}}

{{/* gitlab.rules: the rules: entries of the jobs that start a run, indented by four spaces.
Argument: the context dict of the main template. */}}
{{- define "gitlab.rules" -}}
{{- $c := . -}}
{{- range $c.before }}
    - {{ include "gitlab.flowValue" . }}
{{- end }}
{{- range $c.sources }}
    - if: {{ yamlv (printf "$CI_PIPELINE_SOURCE == \"%s\"%s" . $c.selector) }}
{{- end }}
{{- end -}}

{{/* gitlab.job: the job of one step. Argument: (dict "root" DATA "step" STEP "c" CONTEXT). */}}
{{- define "gitlab.job" -}}
{{- $root := .root -}}{{- $s := .step -}}{{- $c := .c -}}
{{- $name := printf "%s%s" $c.jobPrefix $s.ID -}}
{{- $image := $s.Image | default $c.image -}}
{{ yamlv $name }}:
  stage: {{ yamlv (printf "%s%d" $c.stagePrefix $s.Depth) }}
{{- if $c.entrypoint }}
  image:
    name: {{ yamlv $image }}
    entrypoint: [{{ range $i, $e := $c.entrypoint }}{{ if $i }}, {{ end }}{{ yamlq $e }}{{ end }}]
{{- else }}
  image: {{ yamlv $image }}
{{- end }}
{{- if $s.Needs }}
  needs:
{{- range $s.Needs }}
    - job: {{ yamlv (printf "%s%s" $c.jobPrefix .) }}
      artifacts: true
{{- end }}
{{- else }}
  needs: []
{{- end }}
{{- if $c.child }}
  rules:
    - if: {{ yamlv (printf "$CI_PIPELINE_SOURCE == \"parent_pipeline\" && $WURZEL_CHILD_PIPELINE == \"%s\"" $root.Pipeline.Name) }}
{{- else if $c.hasRules }}
  rules:
{{- include "gitlab.rules" $c }}
{{- end }}
{{- if $c.tags }}
  tags: {{ include "gitlab.flow" $c.tags }}
{{- end }}
  variables:
{{- $env := $c.env }}
{{- $settings := list }}{{- range $s.Settings }}{{ if not (hasKey $env .Env) }}{{ $settings = append $settings . }}{{ end }}{{ end }}
{{- if $settings }}
    # settings from the pipeline; a CI/CD variable of the same name wins
{{- range $settings }}
    {{ include "gitlab.var" (list .Env .Value (has (printf "steps.%s.settings.%s" $s.Name .Name) $c.allow)) }}
{{- end }}
{{- end }}
{{- $refs := list }}{{- $external := dict }}
{{- range $s.Secrets }}{{ if not (hasKey $env .Env) }}{{ if hasKey $c.secrets .CIName }}{{ $_ := set $external .Env (index $c.secrets .CIName) }}{{ else }}{{ $refs = append $refs . }}{{ end }}{{ end }}{{ end }}
{{- if $refs }}
    # secret settings: references to masked CI/CD variables, never values
{{- range $refs }}
    {{ yamlv .Env }}: {value: {{ yamlq (printf "$%s" .CIName) }}, expand: true}
{{- end }}
{{- end }}
{{- if $env }}
    # values: global.env, gitlab.variables
{{- range $k := keys $env }}
    {{ include "gitlab.var" (list $k (index $env $k) (has (index $c.envPlace $k) $c.allow)) }}
{{- end }}
{{- end }}
{{- $res := list }}{{- range $k := keys $c.resources }}{{ if not (hasKey $env $k) }}{{ $res = append $res $k }}{{ end }}{{ end }}
{{- if $res }}
    # values: gitlab.resources (Kubernetes executor)
{{- range $res }}
    {{ include "gitlab.var" (list . (index $c.resources .) false) }}
{{- end }}
{{- end }}
{{- if not (hasKey $env "WURZEL_RUN_ID") }}
    # the same for every job of a run, new for every run
    WURZEL_RUN_ID: {value: "gitlab-$CI_PIPELINE_ID", expand: true}
{{- end }}
{{- if $external }}
{{- if $c.idTokens }}
  id_tokens:
{{- range $k := keys $c.idTokens }}
    {{ yamlv $k }}: {{ include "gitlab.flowValue" (index $c.idTokens $k) }}
{{- end }}
{{- end }}
  secrets:
{{- range $k := keys $external }}
    {{ yamlv $k }}: {{ include "gitlab.flowValue" (merge (deepCopy (index $external $k)) (dict "file" false)) }}
{{- end }}
{{- end }}
  script:
{{- if ne $c.wd "." }}
    - {{ yamlv (printf "cd %s" (sh $c.wd)) }}
{{- end }}
{{- range $refs }}
{{- /* Unset CI/CD variables stay unexpanded ("$NAME"): fail with the fix instead. The names are
identifiers and the step name is [A-Za-z0-9_.-]; checked again here as they go into the script. */}}
{{- $msg := printf "step %s: secret setting %s is not set: define the masked CI/CD variable %s (Settings > CI/CD > Variables), or %s itself" $s.Name .Env .CIName .Env }}
{{- if not (and (regexMatch "^[A-Za-z_][A-Za-z0-9_]*$" .Env) (regexMatch "^[A-Za-z_][A-Za-z0-9_]*$" .CIName) (regexMatch "^[A-Za-z0-9_.,:;()/> -]+$" $msg)) }}{{ fail (printf "step %s: secret %s: unexpected characters in its names" $s.Name .Env) }}{{ end }}
    - {{ yamlv (printf "if [ -z \"${%s:-}\" ] || [ \"$%s\" = \"\\$%s\" ]; then echo \"%s\" >&2; exit 1; fi" .Env .Env .CIName $msg) }}
{{- end }}
    - {{ yamlv (shJoin $s.ArgvNoDefaults) }}
  artifacts:
    paths:
      - {{ yamlv (ternary $s.OutputDir (clean (printf "%s/%s" $c.wd $s.OutputDir)) (eq $c.wd ".")) }}
{{- if $c.expireIn }}
    expire_in: {{ yamlv $c.expireIn }}
{{- end }}
{{- if $s.HasRetries }}
{{- if gt $s.Retries 0 }}
{{- if gt $s.Retries 2 }}
  # the pipeline asks for {{ $s.Retries }} retries; GitLab retries a job at most 2 times
{{- end }}
  retry:
    max: {{ min $s.Retries 2 }}
    when: always
{{- end }}
{{- else if $c.retryMax }}
  retry:
    max: {{ $c.retryMax }}
{{- if $c.retryWhen }}
    when: {{ include "gitlab.flow" $c.retryWhen }}
{{- end }}
{{- end }}
{{- if $s.TimeoutSeconds }}
{{- if $c.setupSeconds }}
  # the step's timeout, {{ include "gitlab.duration" $s.TimeoutSeconds }}, plus gitlab.setupMinutes for the checkout and artifacts
{{- end }}
  timeout: {{ yamlv (include "gitlab.duration" (add $s.TimeoutSeconds $c.setupSeconds)) }}
{{- else if $c.timeout }}
  timeout: {{ yamlv $c.timeout }}
{{- end }}
  interruptible: {{ $c.interruptible }}
{{- $extra := include "gitlab.job.extra" (dict "root" $root "step" $s "name" $name) | trimAll "\n" }}
{{- if $extra }}
{{ $extra }}
{{- end }}
{{- end -}}
