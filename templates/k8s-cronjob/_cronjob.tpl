{{/*
The parts of the CronJob: its name, schedule and time zone, the run's limits, the pod's
command, environment, volumes and scheduling. Each returns text; checks fail the render with
the values key (or pipeline field) in the message.
*/}}

{{/* cronjob.name: cronjob.name, else the pipeline's metadata.name; checked. */}}
{{- define "cronjob.name" -}}
{{- $n := include "cronjob.scalar" (list "cronjob.name" (get .Values.cronjob "name")) -}}
{{- $where := "cronjob.name" -}}
{{- if eq $n "" }}{{ $n = .Pipeline.Name }}{{ $where = "the pipeline's metadata.name" }}{{ end -}}
{{- if not (regexMatch "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$" $n) -}}
{{- fail (printf "%s %s is not a Kubernetes object name: use lowercase letters, digits, '-' and '.', starting and ending with a letter or digit" $where (yamlq $n)) -}}
{{- end -}}
{{- if gt (len $n) 52 -}}
{{- fail (printf "the CronJob name %s is %d characters long; Kubernetes allows 52 (it appends 11 to name each run's Job): set a shorter cronjob.name" $n (len $n)) -}}
{{- end -}}
{{- $n -}}
{{- end -}}

{{/* cronjob.schedule: cronjob.schedule, else the pipeline's spec.schedule. A CronJob needs one. */}}
{{- define "cronjob.schedule" -}}
{{- $s := include "cronjob.scalar" (list "cronjob.schedule" (get .Values.cronjob "schedule")) | trim -}}
{{- if ne $s "" -}}
{{- if or (hasPrefix "CRON_TZ=" $s) (hasPrefix "TZ=" $s) -}}
{{- fail (printf "cronjob.schedule %s starts with a time zone, which Kubernetes refuses: set cronjob.timezone (or the pipeline's spec.timezone) instead" (yamlq $s)) -}}
{{- end -}}
{{- if not (regexMatch "^(@(yearly|annually|monthly|weekly|daily|midnight|hourly)|[0-9A-Za-z*/,?-]+( +[0-9A-Za-z*/,?-]+){4})$" $s) -}}
{{- fail (printf "cronjob.schedule is %s: want five cron fields (minute hour day-of-month month day-of-week, such as \"30 2 * * 1-5\") or one of @yearly, @monthly, @weekly, @daily, @hourly" (yamlq $s)) -}}
{{- end -}}
{{- else -}}
{{- $s = .Pipeline.Schedule -}}
{{- end -}}
{{- if eq $s "" -}}
{{- fail (printf "pipeline %s has no schedule, and a Kubernetes CronJob needs one: set spec.schedule in the pipeline, or cronjob.schedule in the values (such as --set cronjob.schedule='0 3 * * *')" .Pipeline.Name) -}}
{{- end -}}
{{- $s -}}
{{- end -}}

{{/* cronjob.timezone: cronjob.timezone, else the pipeline's spec.timezone, else UTC (a pipeline
without a time zone means UTC, not the controller's local zone). */}}
{{- define "cronjob.timezone" -}}
{{- $tz := include "cronjob.scalar" (list "cronjob.timezone" (get .Values.cronjob "timezone")) -}}
{{- if ne $tz "" -}}
{{- if or (eq (lower $tz) "local") (not (regexMatch "^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*$" $tz)) -}}
{{- fail (printf "cronjob.timezone is %s: want an IANA time zone such as Europe/Berlin or UTC" (yamlq $tz)) -}}
{{- end -}}
{{- else -}}
{{- $tz = .Pipeline.Timezone | default "UTC" -}}
{{- end -}}
{{- $tz -}}
{{- end -}}

{{/* cronjob.backoffLimit: backoffLimit as set, or "" for Kubernetes' default. */}}
{{- define "cronjob.backoffLimit" -}}
{{- include "cronjob.int" (list "cronjob.backoffLimit" (get .Values.cronjob "backoffLimit")) -}}
{{- end -}}

{{/* cronjob.activeDeadline: activeDeadlineSeconds, derived for "auto", or "". */}}
{{- define "cronjob.activeDeadline" -}}
{{- $v := include "cronjob.scalar" (list "cronjob.activeDeadlineSeconds" (get .Values.cronjob "activeDeadlineSeconds")) -}}
{{- if eq $v "auto" -}}
{{- $total := 0 -}}{{- $bounded := true -}}
{{- range .Pipeline.Steps -}}
{{- if eq .TimeoutSeconds 0 }}{{ $bounded = false }}{{ end -}}
{{- $cost := mul .TimeoutSeconds (add .Retries 1) -}}
{{- /* the LocalBackend waits 1s, 2s, 4s, … (at most 5 minutes) between attempts */ -}}
{{- $wait := 1 -}}
{{- range until .Retries }}{{ $cost = add $cost $wait }}{{ $wait = min (mul $wait 2) 300 }}{{ end -}}
{{- $total = add $total $cost -}}
{{- end -}}
{{- $pods := add (include "cronjob.backoffLimit" . | default "6" | atoi) 1 -}}
{{- if $bounded }}{{ min (mul (add $total 600) $pods) 2147483647 }}{{ end -}}
{{- else if or (eq $v "0") (and (ne $v "") (not (regexMatch "^[0-9]+$" $v))) -}}
{{- fail (printf "cronjob.activeDeadlineSeconds is %s: want a number of seconds, auto, or \"\" for no limit" (yamlq $v)) -}}
{{- else -}}
{{- include "cronjob.int" (list "cronjob.activeDeadlineSeconds" $v) -}}
{{- end -}}
{{- end -}}

{{/* cronjob.jobs: --jobs: cronjob.jobs, else the pod's CPUs (limit, else request, rounded up),
else "" (wurzel's default). */}}
{{- define "cronjob.jobs" -}}
{{- $j := include "cronjob.int" (list "cronjob.jobs" (get .Values.cronjob "jobs")) -}}
{{- if eq $j "0" }}{{ fail "cronjob.jobs is 0: want how many steps run at once (1 or more), or \"\" for the pod's CPUs" }}{{ end -}}
{{- if eq $j "" -}}
{{- $r := dig "container" "resources" dict .Values.cronjob -}}
{{- if not (kindIs "map" $r) }}{{ $r = dict }}{{ end -}}
{{- $cpu := include "cronjob.quantity" (list "cronjob.container.resources.cpu_limit" (get $r "cpu_limit")) -}}
{{- if eq $cpu "" }}{{ $cpu = include "cronjob.quantity" (list "cronjob.container.resources.cpu_request" (get $r "cpu_request")) }}{{ end -}}
{{- if regexMatch "^[0-9]+m$" $cpu -}}{{ $j = toString (max 1 (div (add (atoi (trimSuffix "m" $cpu)) 999) 1000)) }}
{{- else if regexMatch "^[0-9]+$" $cpu -}}{{ $j = toString (max 1 (atoi $cpu)) }}
{{- else if regexMatch "^[0-9]*\\.[0-9]+$" $cpu -}}{{ $j = toString (max 1 (int (ceil $cpu))) }}
{{- end -}}
{{- end -}}
{{- $j -}}
{{- end -}}

{{/* cronjob.paths: checks the folders the container mounts. Takes $. */}}
{{- define "cronjob.paths" -}}
{{- $data := include "cronjob.path" (list "cronjob.dataDir" .Pipeline.DataDir) -}}
{{- $pipe := include "cronjob.path" (list "cronjob.pipelineDir" (get .Values.cronjob "pipelineDir")) -}}
{{- if eq (include "cronjob.within" (list $data $pipe)) "true" -}}
{{- fail (printf "cronjob.pipelineDir %s is inside cronjob.dataDir %s: the pipeline file would be mounted into the data volume; choose folders apart" $pipe $data) -}}
{{- end -}}
{{- range $key, $p := dict "cronjob.dataDir" $data "cronjob.pipelineDir" $pipe -}}
{{- if eq (include "cronjob.within" (list "/tmp" $p)) "true" -}}
{{- fail (printf "%s %s is inside /tmp, where the pod mounts an empty scratch volume: choose another folder" $key $p) -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* cronjob.command: the container's command: the whole pipeline with the LocalBackend. Takes $.
Returns JSON (a list of strings). */}}
{{- define "cronjob.command" -}}
{{- $v := .Values.cronjob -}}
{{- $dir := include "cronjob.path" (list "cronjob.pipelineDir" (get $v "pipelineDir")) -}}
{{- $cmd := list "wurzel" "run" "-p" (printf "%s/pipeline.yaml" $dir) "--data-dir" .Pipeline.DataDir -}}
{{- with include "cronjob.jobs" . }}{{ $cmd = concat $cmd (list "--jobs" .) }}{{ end -}}
{{- $cmd = concat $cmd (list "--log-format" (include "cronjob.enum" (list "cronjob.logFormat" (get $v "logFormat") (list "text" "json")) | default "text")) -}}
{{- if eq (include "cronjob.bool" (list "cronjob.force" (get $v "force"))) "true" }}{{ $cmd = append $cmd "--force" }}{{ end -}}
{{- toJson $cmd -}}
{{- end -}}

{{/* cronjob.env: env of the container at column 0: global.env and cronjob.container.env (the
latter wins), every step's secrets, WURZEL_RUN_ID, HF_HOME. Takes $. */}}
{{- define "cronjob.env" -}}
{{- $root := . -}}
{{- $c := dig "container" dict .Values.cronjob -}}
{{- $env := dict -}}{{- $from := dict -}}
{{- range $key, $m := dict "global.env" (get .Values.global "env") "cronjob.container.env" (get $c "env") -}}
{{- if and (not (kindIs "map" $m)) (ne (include "cronjob.text" $m) "") }}{{ fail (printf "%s must be a mapping of variable names to values" $key) }}{{ end -}}
{{- end -}}
{{- range $k, $x := get .Values.global "env" | default dict }}{{ $_ := set $env $k $x }}{{ $_ := set $from $k "global.env" }}{{ end -}}
{{- range $k, $x := get $c "env" | default dict }}{{ $_ := set $env $k $x }}{{ $_ := set $from $k "cronjob.container.env" }}{{ end -}}
{{- $fixed := dict "WURZEL_RUN_ID" "the pod sets it to the name of the run's Job" "WURZEL_DATA_DIR" "the command line's --data-dir (cronjob.dataDir) wins over it" "WURZEL_LOG_FORMAT" "the command line's --log-format (cronjob.logFormat) wins over it" -}}
{{- if include "cronjob.jobs" . }}{{ $_ := set $fixed "WURZEL_JOBS" "the command line's --jobs (cronjob.jobs) wins over it" }}{{ end -}}
{{- $cache := include "cronjob.tokenizerCache" . -}}
{{- if $cache }}{{ $_ := set $fixed "HF_HOME" "cronjob.container.tokenizerCache points it at the cache" }}{{ end -}}
{{- $secrets := list -}}{{- $seen := dict -}}
{{- range $step := .Pipeline.Steps -}}
{{- range $step.Secrets -}}
{{- $ref := printf "%s/%s" .SecretName .SecretKey -}}
{{- if hasKey $seen .Env -}}
{{- if ne (index $seen .Env) $ref }}{{ fail (printf "steps read %s from two secrets (%s and %s): give the steps different envPrefix values" .Env (index $seen .Env) $ref) }}{{ end -}}
{{- else -}}
{{- $_ := set $seen .Env $ref -}}
{{- $_ := set $fixed .Env (printf "step %s reads it from secret %s" $step.Name .SecretName) -}}
{{- $secrets = append $secrets (printf "- name: %s\n  valueFrom:\n    secretKeyRef:\n      name: %s\n      key: %s" (yamlv .Env) (yamlv .SecretName) (yamlv .SecretKey)) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- $out := list -}}
{{- range $name := keys $env -}}
{{- if hasKey $fixed $name -}}
{{- fail (printf "%s sets %s, but %s: remove it from the values" (index $from $name) $name (index $fixed $name)) -}}
{{- end -}}
{{- if not (regexMatch "^[-._a-zA-Z][-._a-zA-Z0-9]*$" $name) -}}
{{- fail (printf "%s: %s is not an environment variable name: use letters, digits, '_', '-' and '.', not starting with a digit" (index $from $name) (yamlq $name)) -}}
{{- end -}}
{{- $x := include "cronjob.scalar" (list (printf "%s.%s" (index $from $name) $name) (index $env $name)) -}}
{{- $out = append $out (printf "- name: %s\n  value: %s" (yamlv $name) (include "cronjob.envValue" $x | yamlq)) -}}
{{- end -}}
{{- $out = concat $out $secrets -}}
{{- $out = append $out "- name: WURZEL_RUN_ID\n  valueFrom:\n    fieldRef:\n      fieldPath: metadata.labels['batch.kubernetes.io/job-name']" -}}
{{- if $cache -}}
{{- $out = append $out (printf "- name: HF_HOME\n  value: %s" (dig "tokenizerCache" "mountPath" "" $c | toString | yamlq)) -}}
{{- end -}}
{{- join "\n" $out -}}
{{- end -}}

{{/* cronjob.volumeMounts: volumeMounts of the container at column 0. Takes $. */}}
{{- define "cronjob.volumeMounts" -}}
{{- $c := dig "container" dict .Values.cronjob -}}
{{- $out := list (printf "- name: data\n  mountPath: %s" (yamlv .Pipeline.DataDir)) -}}
{{- $dir := include "cronjob.path" (list "cronjob.pipelineDir" (get .Values.cronjob "pipelineDir")) -}}
{{- $out = append $out (printf "- name: pipeline\n  mountPath: %s\n  subPath: pipeline.yaml\n  readOnly: true" (printf "%s/pipeline.yaml" $dir | yamlv)) -}}
{{- $out = append $out "- name: tmp\n  mountPath: /tmp" -}}
{{- $mounts := get $c "mountSecrets" -}}
{{- if not (kindIs "slice" $mounts) }}{{ $mounts = ternary (list) (list $mounts) (eq (include "cronjob.text" $mounts) "") }}{{ end -}}
{{- range $i, $m := $mounts -}}
{{- $key := printf "cronjob.container.mountSecrets[%d]" $i -}}
{{- if not (kindIs "map" $m) }}{{ fail (printf "%s must be a mapping {from, to, mappings}" $key) }}{{ end -}}
{{- $to := include "cronjob.path" (list (printf "%s.to" $key) (get $m "to")) -}}
{{- $mappings := get $m "mappings" -}}
{{- if not (kindIs "slice" $mappings) }}{{ $mappings = ternary (list) (list $mappings) (eq (include "cronjob.text" $mappings) "") }}{{ end -}}
{{- if $mappings -}}
{{- range $j, $mp := $mappings -}}
{{- if not (kindIs "map" $mp) }}{{ fail (printf "%s.mappings[%d] must be a mapping {key, value}" $key $j) }}{{ end -}}
{{- $file := include "cronjob.scalar" (list (printf "%s.mappings[%d].value" $key $j) (get $mp "value")) -}}
{{- $k := include "cronjob.scalar" (list (printf "%s.mappings[%d].key" $key $j) (get $mp "key")) -}}
{{- if or (eq $file "") (eq $k "") }}{{ fail (printf "%s.mappings[%d] needs a key (in the Secret) and a value (the file name)" $key $j) }}{{ end -}}
{{- $path := include "cronjob.path" (list (printf "%s.mappings[%d].value" $key $j) (printf "%s/%s" $to (trimPrefix "/" $file) | clean)) -}}
{{- $out = append $out (printf "- name: secret-mount-%d\n  mountPath: %s\n  subPath: %s\n  readOnly: true" $i (yamlv $path) (yamlv $k)) -}}
{{- end -}}
{{- else -}}
{{- $out = append $out (printf "- name: secret-mount-%d\n  mountPath: %s\n  readOnly: true" $i (yamlv $to)) -}}
{{- end -}}
{{- end -}}
{{- if include "cronjob.tokenizerCache" . -}}
{{- $cache := dig "tokenizerCache" dict $c -}}
{{- $ro := include "cronjob.bool" (list "cronjob.container.tokenizerCache.readOnly" (get $cache "readOnly")) | default "false" -}}
{{- $out = append $out (printf "- name: tokenizer-cache\n  mountPath: %s\n  readOnly: %s" (get $cache "mountPath" | toString | yamlv) $ro) -}}
{{- end -}}
{{- join "\n" $out -}}
{{- end -}}

{{/* cronjob.volumes: the pod's volumes at column 0. data is the claim that keeps the output
folders and the cache between runs; pipeline the ConfigMap with the pipeline file; tmp a
scratch folder, as the root filesystem is read-only. Takes (list $ NAME CLAIM). */}}
{{- define "cronjob.volumes" -}}
{{- $root := index . 0 -}}{{- $name := index . 1 -}}{{- $claim := index . 2 -}}
{{- $c := dig "container" dict $root.Values.cronjob -}}
{{- $out := list (printf "- name: data\n  persistentVolumeClaim:\n    claimName: %s" (yamlv $claim)) -}}
{{- $out = append $out (printf "- name: pipeline\n  configMap:\n    name: %s" (printf "%s-pipeline" $name | yamlv)) -}}
{{- $out = append $out "- name: tmp\n  emptyDir: {}" -}}
{{- $mounts := get $c "mountSecrets" -}}
{{- if not (kindIs "slice" $mounts) }}{{ $mounts = ternary (list) (list $mounts) (eq (include "cronjob.text" $mounts) "") }}{{ end -}}
{{- range $i, $m := $mounts -}}
{{- if not (kindIs "map" $m) }}{{ fail (printf "cronjob.container.mountSecrets[%d] must be a mapping {from, to, mappings}" $i) }}{{ end -}}
{{- $from := include "cronjob.scalar" (list (printf "cronjob.container.mountSecrets[%d].from" $i) (get $m "from")) -}}
{{- if eq $from "" }}{{ fail (printf "cronjob.container.mountSecrets[%d].from is empty: name the Secret to mount" $i) }}{{ end -}}
{{- $out = append $out (printf "- name: secret-mount-%d\n  secret:\n    secretName: %s" $i (yamlv $from)) -}}
{{- end -}}
{{- $mode := include "cronjob.tokenizerCache" $root -}}
{{- $cache := dig "tokenizerCache" dict $c -}}
{{- if eq $mode "existing" -}}
{{- $claimName := include "cronjob.scalar" (list "cronjob.container.tokenizerCache.claimName" (get $cache "claimName")) -}}
{{- if eq $claimName "" }}{{ fail "cronjob.container.tokenizerCache.claimName is empty: name the PersistentVolumeClaim, or set createPvc: true" }}{{ end -}}
{{- $out = append $out (printf "- name: tokenizer-cache\n  persistentVolumeClaim:\n    claimName: %s" (yamlv $claimName)) -}}
{{- else if eq $mode "create" -}}
{{- $spec := include "cronjob.claimSpec" (list "cronjob.container.tokenizerCache" $cache) -}}
{{- $out = append $out (printf "- name: tokenizer-cache\n  ephemeral:\n    volumeClaimTemplate:\n      spec:\n%s" (indent 8 $spec)) -}}
{{- end -}}
{{- join "\n" $out -}}
{{- end -}}

{{/* cronjob.imagePullSecrets: at column 0, or "". Takes $. */}}
{{- define "cronjob.imagePullSecrets" -}}
{{- $s := get .Values.cronjob "imagePullSecrets" -}}
{{- if not (kindIs "slice" $s) }}{{ $s = ternary (list) (list $s) (eq (include "cronjob.text" $s) "") }}{{ end -}}
{{- $out := list -}}
{{- range $i, $x := $s -}}
{{- $key := printf "cronjob.imagePullSecrets[%d]" $i -}}
{{- $n := "" -}}
{{- if kindIs "map" $x }}{{ $n = include "cronjob.scalar" (list (printf "%s.name" $key) (get $x "name")) }}{{ else }}{{ $n = include "cronjob.scalar" (list $key $x) }}{{ end -}}
{{- if not (regexMatch "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$" $n) -}}
{{- fail (printf "%s is %s: want the name of a Secret" $key (yamlq $n)) -}}
{{- end -}}
{{- $out = append $out (printf "- name: %s" (yamlv $n)) -}}
{{- end -}}
{{- join "\n" $out -}}
{{- end -}}

{{/* cronjob.tolerations: at column 0, or "". Takes $. */}}
{{- define "cronjob.tolerations" -}}
{{- $t := get .Values.cronjob "tolerations" -}}
{{- if not (kindIs "slice" $t) }}{{ $t = ternary (list) (list $t) (eq (include "cronjob.text" $t) "") }}{{ end -}}
{{- $out := list -}}
{{- range $i, $x := $t -}}
{{- $key := printf "cronjob.tolerations[%d]" $i -}}
{{- if not (kindIs "map" $x) }}{{ fail (printf "%s must be a mapping {key, operator, value, effect, tolerationSeconds}" $key) }}{{ end -}}
{{- range $k := keys $x }}{{ if not (has $k (list "key" "operator" "value" "effect" "tolerationSeconds")) }}{{ fail (printf "%s has an unknown key %s: want key, operator, value, effect and tolerationSeconds" $key (yamlq $k)) }}{{ end }}{{ end -}}
{{- $op := include "cronjob.enum" (list (printf "%s.operator" $key) (get $x "operator") (list "Exists" "Equal")) -}}
{{- $effect := include "cronjob.enum" (list (printf "%s.effect" $key) (get $x "effect") (list "NoSchedule" "PreferNoSchedule" "NoExecute")) -}}
{{- $k := include "cronjob.scalar" (list (printf "%s.key" $key) (get $x "key")) -}}
{{- $val := include "cronjob.scalar" (list (printf "%s.value" $key) (get $x "value")) -}}
{{- $secs := include "cronjob.int" (list (printf "%s.tolerationSeconds" $key) (get $x "tolerationSeconds")) -}}
{{- if and (eq $op "Exists") (ne $val "") }}{{ fail (printf "%s has operator Exists and a value: Exists matches any value, leave value out" $key) }}{{ end -}}
{{- if and (eq $k "") (ne $op "Exists") }}{{ fail (printf "%s has no key: a toleration without a key must have operator Exists (it tolerates every taint)" $key) }}{{ end -}}
{{- if and (ne $secs "") (ne $effect "NoExecute") }}{{ fail (printf "%s sets tolerationSeconds: only effect NoExecute takes it" $key) }}{{ end -}}
{{- $lines := list -}}
{{- with $k }}{{ $lines = append $lines (printf "key: %s" (yamlv .)) }}{{ end -}}
{{- with $op }}{{ $lines = append $lines (printf "operator: %s" .) }}{{ end -}}
{{- with $val }}{{ $lines = append $lines (printf "value: %s" (yamlv .)) }}{{ end -}}
{{- with $effect }}{{ $lines = append $lines (printf "effect: %s" .) }}{{ end -}}
{{- with $secs }}{{ $lines = append $lines (printf "tolerationSeconds: %s" .) }}{{ end -}}
{{- if not $lines }}{{ fail (printf "%s is empty: give at least operator: Exists" $key) }}{{ end -}}
{{- $out = append $out (printf "- %s" (join "\n  " $lines)) -}}
{{- end -}}
{{- join "\n" $out -}}
{{- end -}}

{{/* cronjob.notes: comment lines about what the image must hold, at column 0, or "". Takes $. */}}
{{- define "cronjob.notes" -}}
{{- $out := list -}}
{{- $dir := include "cronjob.path" (list "cronjob.pipelineDir" (get .Values.cronjob "pipelineDir")) -}}
{{- range $step := .Pipeline.Steps -}}
{{- if $step.Custom -}}
{{- $files := list -}}
{{- range $step.Deps }}{{ $files = append $files (yamlv .) }}{{ end -}}
{{- if $files -}}
{{- $out = append $out (printf "# Custom step %s runs %s with %s:" $step.Name (index $step.Command 0 | yamlv) (join ", " $files)) -}}
{{- $out = append $out (printf "# the image must hold the program, and the files in %s." $dir) -}}
{{- else -}}
{{- $out = append $out (printf "# Custom step %s runs %s: the image must hold it." $step.Name (index $step.Command 0 | yamlv)) -}}
{{- end -}}
{{- end -}}
{{- with $step.Image -}}
{{- $out = append $out (printf "# Step %s asks for image %s: it runs in the image below instead." $step.Name (yamlv .)) -}}
{{- end -}}
{{- end -}}
{{- join "\n" $out -}}
{{- end -}}
