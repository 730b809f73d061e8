{{/*
Helpers of the argo pack. Values are read with get and dig, so a key deleted with an explicit
null (as Python Wurzel values files write optional fields) reads as "not set" instead of
failing. Every helper returns text; checks fail the render with the values key in the message.
*/}}

{{/* argo.name: the workflow's name: argo.name, else the pipeline's metadata.name. */}}
{{- define "argo.name" -}}
{{- $n := get .Values.argo "name" | toString -}}
{{- if eq $n "" }}{{ $n = .Pipeline.Name }}{{ end -}}
{{- $n -}}
{{- end -}}

{{/* argo.schedules: the cron schedules, one per line: argo.schedules, else spec.schedule. */}}
{{- define "argo.schedules" -}}
{{- $s := get .Values.argo "schedules" -}}
{{- if not (kindIs "slice" $s) }}{{ $s = ternary (list) (list $s) (eq (include "argo.text" $s) "") }}{{ end -}}
{{- $out := list -}}
{{- range $i, $x := $s }}{{ with include "argo.text" $x }}
{{- if regexMatch (printf "[%s]" (include "wurzel.controlChars" "")) . }}{{ fail (printf "argo.schedules[%d] is %q: a cron schedule is one line of five fields (\"0 4 * * *\") or a descriptor (@daily)" $i .) }}{{ end -}}
{{- $out = append $out . }}{{ end }}{{ end -}}
{{- if and (not $out) .Pipeline.Schedule }}{{ $out = list .Pipeline.Schedule }}{{ end -}}
{{- join "\n" $out -}}
{{- end -}}

{{/* argo.timezone: argo.timezone, else spec.timezone, else UTC (a pipeline without a time zone means UTC). */}}
{{- define "argo.timezone" -}}
{{- $tz := get .Values.argo "timezone" | toString -}}
{{- if eq $tz "" }}{{ $tz = .Pipeline.Timezone }}{{ end -}}
{{- if eq $tz "" }}{{ $tz = "UTC" }}{{ end -}}
{{- $tz -}}
{{- end -}}

{{/* argo.generateName: "true" when the object is named by metadata.generateName. Takes (list $ $cron). */}}
{{- define "argo.generateName" -}}
{{- $root := index . 0 -}}{{- $cron := index . 1 -}}
{{- $g := get $root.Values.argo "generateName" | toString -}}
{{- if or (eq $g "auto") (eq $g "") -}}{{ not $cron }}
{{- else if or (eq $g "true") (eq $g "false") -}}{{ $g }}
{{- else -}}{{ fail (printf "argo.generateName is %q: use auto, true or false" $g) }}
{{- end -}}
{{- end -}}

{{/* argo.template: the container template of a step. */}}
{{- define "argo.template" -}}wurzel-run-template-{{ .ID }}{{- end -}}

{{/* argo.artifact: the output artifact of a step. */}}
{{- define "argo.artifact" -}}wurzel-artifact-{{ .ID }}{{- end -}}

{{/* argo.k8sText: text for a container's command or an env value, which Kubernetes reads
literally: every "$" doubled, so that $(NAME) is not replaced by another variable. */}}
{{- define "argo.k8sText" -}}
{{- replace "$" "$$" . -}}
{{- end -}}

{{/* argo.text: a value as text; "" for null (list items keep their nulls). */}}
{{- define "argo.text" -}}
{{- if not (kindIs "invalid" .) }}{{ toString . }}{{ end -}}
{{- end -}}

{{/* argo.int: a whole number, or "" when not set. Takes (list KEY VALUE). */}}
{{- define "argo.int" -}}
{{- $key := index . 0 -}}{{- $s := include "argo.text" (index . 1) -}}
{{- if and (ne $s "") (not (regexMatch "^[0-9]+$" $s)) -}}
{{- fail (printf "%s is %q: want a whole number, or \"\" for not set" $key $s) -}}
{{- end -}}
{{- $s -}}
{{- end -}}

{{/* argo.bool: true, false, or "" when not set. Takes (list KEY VALUE). */}}
{{- define "argo.bool" -}}
{{- $key := index . 0 -}}{{- $s := include "argo.text" (index . 1) -}}
{{- if not (has $s (list "" "true" "false")) -}}
{{- fail (printf "%s is %q: want true or false, or \"\" for not set" $key $s) -}}
{{- end -}}
{{- $s -}}
{{- end -}}

{{/* argo.enum: one of the allowed words, or "" when not set. Takes (list KEY VALUE ALLOWED). */}}
{{- define "argo.enum" -}}
{{- $key := index . 0 -}}{{- $s := include "argo.text" (index . 1) -}}{{- $allowed := index . 2 -}}
{{- if and (ne $s "") (not (has $s $allowed)) -}}
{{- fail (printf "%s is %q: want one of %s" $key $s (join ", " $allowed)) -}}
{{- end -}}
{{- $s -}}
{{- end -}}

{{/* argo.quantity: a Kubernetes quantity (100m, 512Mi, 1), or "" when not set. Takes (list KEY VALUE). */}}
{{- define "argo.quantity" -}}
{{- $key := index . 0 -}}{{- $s := include "argo.text" (index . 1) -}}
{{- if and (ne $s "") (not (regexMatch "^[+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?[0-9]+|[munkMGTPE]|[KMGTPE]i)?$" $s)) -}}
{{- fail (printf "%s is %q: want a Kubernetes quantity such as 100m, 512Mi or 2" $key $s) -}}
{{- end -}}
{{- $s -}}
{{- end -}}

{{/* argo.securityContext: the fields of a pod (level "pod") or container securityContext, as
YAML at column 0, or "" when none is set. Takes (list KEY VALUES LEVEL). */}}
{{- define "argo.securityContext" -}}
{{- $key := index . 0 -}}{{- $sc := index . 1 -}}{{- $pod := eq (index . 2) "pod" -}}
{{- if not (kindIs "map" $sc) }}{{ $sc = dict }}{{ end -}}
{{- $nonRoot := include "argo.bool" (list (printf "%s.runAsNonRoot" $key) (get $sc "runAsNonRoot")) -}}
{{- $user := include "argo.int" (list (printf "%s.runAsUser" $key) (get $sc "runAsUser")) -}}
{{- $group := include "argo.int" (list (printf "%s.runAsGroup" $key) (get $sc "runAsGroup")) -}}
{{- $seccomp := include "argo.enum" (list (printf "%s.seccompProfileType" $key) (get $sc "seccompProfileType") (list "RuntimeDefault" "Localhost" "Unconfined")) -}}
{{- $localhost := get $sc "seccompLocalhostProfile" | toString -}}
{{- if and (eq $seccomp "Localhost") (eq $localhost "") -}}
{{- fail (printf "%s.seccompProfileType is Localhost: set %s.seccompLocalhostProfile to the profile's path on the node" $key $key) -}}
{{- end -}}
{{- $lines := list -}}
{{- if $pod -}}
{{- $fsGroup := include "argo.int" (list (printf "%s.fsGroup" $key) (get $sc "fsGroup")) -}}
{{- $fsPolicy := include "argo.enum" (list (printf "%s.fsGroupChangePolicy" $key) (get $sc "fsGroupChangePolicy") (list "OnRootMismatch" "Always")) -}}
{{- if $fsGroup }}{{ $lines = append $lines (printf "fsGroup: %s" $fsGroup) }}{{ end -}}
{{- if $fsPolicy }}{{ $lines = append $lines (printf "fsGroupChangePolicy: %s" $fsPolicy) }}{{ end -}}
{{- if $group }}{{ $lines = append $lines (printf "runAsGroup: %s" $group) }}{{ end -}}
{{- if $nonRoot }}{{ $lines = append $lines (printf "runAsNonRoot: %s" $nonRoot) }}{{ end -}}
{{- if $user }}{{ $lines = append $lines (printf "runAsUser: %s" $user) }}{{ end -}}
{{- if $seccomp }}{{ $lines = append $lines (include "argo.seccomp" (list $seccomp $localhost)) }}{{ end -}}
{{- $groups := get $sc "supplementalGroups" -}}
{{- if not (kindIs "slice" $groups) }}{{ $groups = ternary (list) (list $groups) (eq (include "argo.text" $groups) "") }}{{ end -}}
{{- if $groups -}}
{{- $lines = append $lines "supplementalGroups:" -}}
{{- range $i, $g := $groups }}{{ $lines = append $lines (printf "  - %s" (include "argo.int" (list (printf "%s.supplementalGroups[%d]" $key $i) $g))) }}{{ end -}}
{{- end -}}
{{- else -}}
{{- $escalation := include "argo.bool" (list (printf "%s.allowPrivilegeEscalation" $key) (get $sc "allowPrivilegeEscalation")) -}}
{{- $readOnly := include "argo.bool" (list (printf "%s.readOnlyRootFilesystem" $key) (get $sc "readOnlyRootFilesystem")) -}}
{{- if $escalation }}{{ $lines = append $lines (printf "allowPrivilegeEscalation: %s" $escalation) }}{{ end -}}
{{- $drop := get $sc "dropCapabilities" -}}
{{- if not (kindIs "slice" $drop) }}{{ $drop = ternary (list) (list $drop) (eq (include "argo.text" $drop) "") }}{{ end -}}
{{- if $drop -}}
{{- $lines = append $lines "capabilities:\n  drop:" -}}
{{- range $drop }}{{ $lines = append $lines (printf "    - %s" (include "argo.text" . | yamlv)) }}{{ end -}}
{{- end -}}
{{- if $readOnly }}{{ $lines = append $lines (printf "readOnlyRootFilesystem: %s" $readOnly) }}{{ end -}}
{{- if $group }}{{ $lines = append $lines (printf "runAsGroup: %s" $group) }}{{ end -}}
{{- if $nonRoot }}{{ $lines = append $lines (printf "runAsNonRoot: %s" $nonRoot) }}{{ end -}}
{{- if $user }}{{ $lines = append $lines (printf "runAsUser: %s" $user) }}{{ end -}}
{{- if $seccomp }}{{ $lines = append $lines (include "argo.seccomp" (list $seccomp $localhost)) }}{{ end -}}
{{- end -}}
{{- join "\n" $lines -}}
{{- end -}}

{{- define "argo.seccomp" -}}
seccompProfile:
  type: {{ index . 0 }}
{{- if eq (index . 0) "Localhost" }}
  localhostProfile: {{ index . 1 | yamlv }}
{{- end }}
{{- end -}}

{{/* argo.resources: requests and limits of a step's container, at column 0, or "". Takes $. */}}
{{- define "argo.resources" -}}
{{- $r := dig "container" "resources" dict .Values.argo -}}
{{- $requests := list -}}{{- $limits := list -}}
{{- range $field := list "cpu" "memory" "ephemeral_storage" -}}
{{- $name := replace "_" "-" $field -}}
{{- $req := include "argo.quantity" (list (printf "argo.container.resources.%s_request" $field) (get $r (printf "%s_request" $field))) -}}
{{- $lim := include "argo.quantity" (list (printf "argo.container.resources.%s_limit" $field) (get $r (printf "%s_limit" $field))) -}}
{{- if $req }}{{ $requests = append $requests (printf "  %s: %s" $name (yamlq $req)) }}{{ end -}}
{{- if $lim }}{{ $limits = append $limits (printf "  %s: %s" $name (yamlq $lim)) }}{{ end -}}
{{- end -}}
{{- $out := list -}}
{{- if $limits }}{{ $out = concat $out (list "limits:") $limits }}{{ end -}}
{{- if $requests }}{{ $out = concat $out (list "requests:") $requests }}{{ end -}}
{{- join "\n" $out -}}
{{- end -}}

{{/* argo.retryStrategy: a step's retryStrategy at column 0, or "". Takes (list $ $step). */}}
{{- define "argo.retryStrategy" -}}
{{- $root := index . 0 -}}{{- $step := index . 1 -}}
{{- $rs := get $root.Values.argo "retryStrategy" -}}
{{- if not (kindIs "map" $rs) }}{{ $rs = dict }}{{ end -}}
{{- $limit := include "argo.int" (list "argo.retryStrategy.limit" (get $rs "limit")) -}}
{{- $policy := include "argo.enum" (list "argo.retryStrategy.retryPolicy" (get $rs "retryPolicy") (list "Always" "OnFailure" "OnError" "OnTransientError")) -}}
{{- if $step.HasRetries }}{{ $limit = toString $step.Retries }}{{ $policy = "Always" }}{{ end -}}
{{- if and $limit (ne $limit "0") -}}
limit: {{ $limit }}
{{- with $policy }}
retryPolicy: {{ . }}
{{- end }}
{{- $b := get $rs "backoff" -}}
{{- if not (kindIs "map" $b) }}{{ $b = dict }}{{ end -}}
{{- $duration := get $b "duration" | toString -}}
{{- $factor := include "argo.int" (list "argo.retryStrategy.backoff.factor" (get $b "factor")) -}}
{{- $max := get $b "maxDuration" | toString -}}
{{- if or $duration $factor $max }}
backoff:
{{- with $duration }}
  duration: {{ yamlq . }}
{{- end }}
{{- with $factor }}
  factor: {{ . }}
{{- end }}
{{- with $max }}
  maxDuration: {{ yamlq . }}
{{- end }}
{{- end }}
{{- end -}}
{{- end -}}

{{/* argo.envFrom: envFrom of every step's container at column 0, or "": container.envFrom,
then secretRef, then configMapRef, as Python Wurzel orders them. Takes $. */}}
{{- define "argo.envFrom" -}}
{{- $c := dig "container" dict .Values.argo -}}
{{- $out := list -}}
{{- $entries := get $c "envFrom" -}}
{{- if not (kindIs "slice" $entries) }}{{ $entries = ternary (list) (list $entries) (eq (include "argo.text" $entries) "") }}{{ end -}}
{{- range $i, $e := $entries -}}
{{- $key := printf "argo.container.envFrom[%d]" $i -}}
{{- if not (kindIs "map" $e) }}{{ fail (printf "%s must be a mapping {kind, name, prefix, optional}" $key) }}{{ end -}}
{{- $name := include "argo.text" (get $e "name") -}}
{{- if eq $name "" }}{{ fail (printf "%s.name is empty: name the Secret or ConfigMap" $key) }}{{ end -}}
{{- $kind := include "argo.enum" (list (printf "%s.kind" $key) (get $e "kind") (list "secret" "configMap")) | default "secret" -}}
{{- $optional := include "argo.bool" (list (printf "%s.optional" $key) (get $e "optional")) | default "true" -}}
{{- $ref := ternary "configMapRef" "secretRef" (eq $kind "configMap") -}}
{{- $out = append $out (printf "- %s:\n    name: %s\n    optional: %s\n  prefix: %s" $ref (yamlv $name) $optional (include "argo.text" (get $e "prefix") | yamlq)) -}}
{{- end -}}
{{- range list "secretRef" "configMapRef" -}}
{{- $ref := . -}}
{{- $names := get $c $ref -}}
{{- if not (kindIs "slice" $names) }}{{ $names = ternary (list) (list $names) (eq (include "argo.text" $names) "") }}{{ end -}}
{{- range $names }}{{ $out = append $out (printf "- %s:\n    name: %s\n    optional: true\n  prefix: \"\"" $ref (include "argo.text" . | yamlv)) }}{{ end -}}
{{- end -}}
{{- join "\n" $out -}}
{{- end -}}

{{/* argo.env: env of a step's container at column 0: argo.container.env and global.env
(argo's wins), the step's secrets, WURZEL_RUN_ID, HF_HOME. Takes (list $ $step). */}}
{{- define "argo.env" -}}
{{- $root := index . 0 -}}{{- $step := index . 1 -}}
{{- $c := dig "container" dict $root.Values.argo -}}
{{- $env := merge (deepCopy (get $c "env" | default dict)) (get $root.Values.global "env" | default dict) -}}
{{- $cache := dig "tokenizerCache" dict $c -}}
{{- $fixed := dict "WURZEL_RUN_ID" "wurzel sets it to the run's ID" -}}
{{- if eq (include "argo.bool" (list "argo.container.tokenizerCache.enabled" (get $cache "enabled"))) "true" -}}
{{- $_ := set $fixed "HF_HOME" "argo.container.tokenizerCache points it at the cache" -}}
{{- end -}}
{{- range $step.Secrets }}{{ $_ := set $fixed .Env (printf "step %s reads it from secret %s" $step.Name .SecretName) }}{{ end -}}
{{- range $name := keys $env -}}
{{- if hasKey $fixed $name -}}
{{- fail (printf "argo.container.env or global.env sets %s, but %s: remove it from the values" $name (index $fixed $name)) -}}
{{- end -}}
- name: {{ yamlv $name }}
  value: {{ index $env $name | toString | include "argo.k8sText" | yamlv }}
{{ end -}}
{{- range $step.Secrets -}}
- name: {{ yamlv .Env }}
  valueFrom:
    secretKeyRef:
      name: {{ yamlv .SecretName }}
      key: {{ yamlv .SecretKey }}
{{ end -}}
- name: WURZEL_RUN_ID
  value: "{{ "{{" }}workflow.uid{{ "}}" }}"
{{- if hasKey $fixed "HF_HOME" }}
- name: HF_HOME
  value: {{ get $cache "mountPath" | toString | include "argo.k8sText" | yamlv }}
{{- end -}}
{{- end -}}

{{/* argo.tokenizerCache: "existing", "create" or "" (disabled). Takes $. */}}
{{- define "argo.tokenizerCache" -}}
{{- $cache := dig "container" "tokenizerCache" dict .Values.argo -}}
{{- if eq (include "argo.bool" (list "argo.container.tokenizerCache.enabled" (get $cache "enabled"))) "true" -}}
{{- $mount := get $cache "mountPath" | toString -}}
{{- if not (hasPrefix "/" $mount) }}{{ fail (printf "argo.container.tokenizerCache.mountPath is %q: want an absolute path" $mount) }}{{ end -}}
{{- if eq (include "argo.bool" (list "argo.container.tokenizerCache.createPvc" (get $cache "createPvc"))) "true" }}create{{ else }}existing{{ end -}}
{{- end -}}
{{- end -}}

{{/* argo.volumeMounts: volumeMounts of a step's container at column 0. Takes $. */}}
{{- define "argo.volumeMounts" -}}
{{- $c := dig "container" dict .Values.argo -}}
{{- $out := list (printf "- name: wurzel-data\n  mountPath: %s" (yamlv .Pipeline.DataDir)) -}}
{{- $mounts := get $c "mountSecrets" -}}
{{- if not (kindIs "slice" $mounts) }}{{ $mounts = ternary (list) (list $mounts) (eq (include "argo.text" $mounts) "") }}{{ end -}}
{{- range $i, $m := $mounts -}}
{{- $key := printf "argo.container.mountSecrets[%d]" $i -}}
{{- if not (kindIs "map" $m) }}{{ fail (printf "%s must be a mapping {from, to, mappings}" $key) }}{{ end -}}
{{- $to := include "argo.text" (get $m "to") -}}
{{- if not (hasPrefix "/" $to) }}{{ fail (printf "%s.to is %q: want an absolute path" $key $to) }}{{ end -}}
{{- $mappings := get $m "mappings" -}}
{{- if not (kindIs "slice" $mappings) }}{{ $mappings = ternary (list) (list $mappings) (eq (include "argo.text" $mappings) "") }}{{ end -}}
{{- if $mappings -}}
{{- range $j, $mp := $mappings -}}
{{- if not (kindIs "map" $mp) }}{{ fail (printf "%s.mappings[%d] must be a mapping {key, value}" $key $j) }}{{ end -}}
{{- $file := include "argo.text" (get $mp "value") -}}
{{- $k := include "argo.text" (get $mp "key") -}}
{{- if or (eq $file "") (eq $k "") }}{{ fail (printf "%s.mappings[%d] needs a key (in the Secret) and a value (the file name)" $key $j) }}{{ end -}}
{{- $out = append $out (printf "- name: secret-mount-%d\n  mountPath: %s\n  subPath: %s\n  readOnly: true" $i (printf "%s/%s" (trimSuffix "/" $to) (trimPrefix "/" $file) | clean | yamlv) (yamlv $k)) -}}
{{- end -}}
{{- else -}}
{{- $out = append $out (printf "- name: secret-mount-%d\n  mountPath: %s\n  readOnly: true" $i (clean $to | yamlv)) -}}
{{- end -}}
{{- end -}}
{{- with include "argo.tokenizerCache" . -}}
{{- $cache := dig "container" "tokenizerCache" dict $.Values.argo -}}
{{- $ro := include "argo.bool" (list "argo.container.tokenizerCache.readOnly" (get $cache "readOnly")) | default "false" -}}
{{- $out = append $out (printf "- name: tokenizer-cache\n  mountPath: %s\n  readOnly: %s" (get $cache "mountPath" | toString | yamlv) $ro) -}}
{{- end -}}
{{- join "\n" $out -}}
{{- end -}}

{{/* argo.volumes: spec.volumes at column 0. wurzel-data, an emptyDir at dataDir, holds the
step's inputs and output: it is writable whatever the image's user and readOnlyRootFilesystem,
Argo's init container downloads input artifacts into it and its wait container uploads the
output from it. Takes $. */}}
{{- define "argo.volumes" -}}
{{- $c := dig "container" dict .Values.argo -}}
{{- $out := list "- name: wurzel-data\n  emptyDir: {}" -}}
{{- $mounts := get $c "mountSecrets" -}}
{{- if not (kindIs "slice" $mounts) }}{{ $mounts = ternary (list) (list $mounts) (eq (include "argo.text" $mounts) "") }}{{ end -}}
{{- range $i, $m := $mounts -}}
{{- $from := include "argo.text" (get $m "from") -}}
{{- if eq $from "" }}{{ fail (printf "argo.container.mountSecrets[%d].from is empty: name the Secret to mount" $i) }}{{ end -}}
{{- $out = append $out (printf "- name: secret-mount-%d\n  secret:\n    secretName: %s" $i (yamlv $from)) -}}
{{- end -}}
{{- if eq (include "argo.tokenizerCache" .) "existing" -}}
{{- $claim := dig "tokenizerCache" "claimName" "" $c | toString -}}
{{- if eq $claim "" }}{{ fail "argo.container.tokenizerCache.claimName is empty: name the PersistentVolumeClaim, or set createPvc: true" }}{{ end -}}
{{- $out = append $out (printf "- name: tokenizer-cache\n  persistentVolumeClaim:\n    claimName: %s" (yamlv $claim)) -}}
{{- end -}}
{{- join "\n" $out -}}
{{- end -}}

{{/* argo.volumeClaimTemplates: spec.volumeClaimTemplates at column 0, or "". Takes $. */}}
{{- define "argo.volumeClaimTemplates" -}}
{{- if eq (include "argo.tokenizerCache" .) "create" -}}
{{- $cache := dig "container" "tokenizerCache" dict .Values.argo -}}
{{- $size := include "argo.quantity" (list "argo.container.tokenizerCache.storageSize" (get $cache "storageSize")) -}}
{{- if eq $size "" }}{{ fail "argo.container.tokenizerCache.storageSize is empty: give the size of the claim, such as 10Gi" }}{{ end -}}
{{- $modes := get $cache "accessModes" -}}
{{- if not (kindIs "slice" $modes) }}{{ $modes = ternary (list) (list $modes) (eq (include "argo.text" $modes) "") }}{{ end -}}
- metadata:
    name: tokenizer-cache
  spec:
{{- if $modes }}
    accessModes:
{{- range $i, $m := $modes }}
      - {{ include "argo.enum" (list (printf "argo.container.tokenizerCache.accessModes[%d]" $i) $m (list "ReadWriteOnce" "ReadOnlyMany" "ReadWriteMany" "ReadWriteOncePod")) }}
{{- end }}
{{- end }}
    resources:
      requests:
        storage: {{ yamlq $size }}
{{- with get $cache "storageClassName" | toString }}
    storageClassName: {{ yamlv . }}
{{- end }}
{{- end -}}
{{- end -}}

{{/* argo.artifactMode: artifacts.defaultMode as an integer, or "". Takes $. */}}
{{- define "argo.artifactMode" -}}
{{- $m := dig "artifacts" "defaultMode" "" .Values.argo | toString -}}
{{- if regexMatch "^0[0-7]+$" $m }}{{ $m = toDecimal $m | toString }}{{ end -}}
{{- include "argo.int" (list "argo.artifacts.defaultMode" $m) -}}
{{- end -}}

{{/* argo.s3: the s3 location of a step's output artifact at column 0, or "" for the
namespace's artifact repository. Takes (list $ $step). */}}
{{- define "argo.s3" -}}
{{- $root := index . 0 -}}{{- $step := index . 1 -}}
{{- $a := dig "artifacts" dict $root.Values.argo -}}
{{- with get $a "bucket" | toString -}}
endpoint: {{ get $a "endpoint" | toString | required "argo.artifacts.endpoint is empty: set the S3 endpoint (host:port), or empty bucket to use the namespace's artifact repository" | yamlv }}
bucket: {{ yamlv . }}
insecure: {{ include "argo.bool" (list "argo.artifacts.insecure" (get $a "insecure")) | default "false" }}
key: "argo-workflows/{{ "{{" }}workflow.name{{ "}}" }}/{{ $step.ID }}"
{{- range $field := list "accessKeySecret" "secretKeySecret" }}
{{- $ref := get $a $field }}
{{- if and (kindIs "map" $ref) (ne (get $ref "name" | toString) "") }}
{{ $field }}:
  name: {{ get $ref "name" | toString | yamlv }}
  key: {{ get $ref "key" | toString | required (printf "argo.artifacts.%s.key is empty: name the key of secret %s" $field (get $ref "name")) | yamlv }}
{{- end }}
{{- end }}
{{- end -}}
{{- end -}}
