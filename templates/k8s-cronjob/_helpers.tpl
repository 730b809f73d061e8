{{/*
Value readers of the k8s-cronjob pack. Values are read with get and dig, so a key deleted with
an explicit null reads as "not set" instead of failing. Every helper returns text; checks fail
the render with the values key in the message. They accept what the argo pack's readers accept,
so blocks copied between argo: and cronjob: mean the same.
*/}}

{{/* cronjob.text: a value as text; "" for null. */}}
{{- define "cronjob.text" -}}
{{- if not (kindIs "invalid" .) }}{{ toString . }}{{ end -}}
{{- end -}}

{{/* cronjob.scalar: a value as text, failing for a mapping or a list. Takes (list KEY VALUE). */}}
{{- define "cronjob.scalar" -}}
{{- $key := index . 0 -}}{{- $v := index . 1 -}}
{{- if or (kindIs "map" $v) (kindIs "slice" $v) -}}
{{- fail (printf "%s is a %s: want a single value" $key (ternary "mapping" "list" (kindIs "map" $v))) -}}
{{- end -}}
{{- include "cronjob.text" $v -}}
{{- end -}}

{{/* cronjob.int: a whole number, or "" when not set. Takes (list KEY VALUE). */}}
{{- define "cronjob.int" -}}
{{- $key := index . 0 -}}{{- $s := include "cronjob.scalar" . -}}
{{- if and (ne $s "") (not (regexMatch "^[0-9]{1,10}$" $s)) -}}
{{- fail (printf "%s is %s: want a whole number, or \"\" for not set" $key (yamlq $s)) -}}
{{- end -}}
{{- if and (ne $s "") (gt (atoi $s) 2147483647) -}}
{{- fail (printf "%s is %s: Kubernetes takes at most 2147483647" $key $s) -}}
{{- end -}}
{{- if ne $s "" }}{{ atoi $s }}{{ end -}}
{{- end -}}

{{/* cronjob.bool: true, false, or "" when not set. Takes (list KEY VALUE). */}}
{{- define "cronjob.bool" -}}
{{- $key := index . 0 -}}{{- $s := include "cronjob.scalar" . -}}
{{- if not (has $s (list "" "true" "false")) -}}
{{- fail (printf "%s is %s: want true or false, or \"\" for not set" $key (yamlq $s)) -}}
{{- end -}}
{{- $s -}}
{{- end -}}

{{/* cronjob.enum: one of the allowed words, or "" when not set. Takes (list KEY VALUE ALLOWED). */}}
{{- define "cronjob.enum" -}}
{{- $key := index . 0 -}}{{- $s := include "cronjob.scalar" (list $key (index . 1)) -}}{{- $allowed := index . 2 -}}
{{- if and (ne $s "") (not (has $s $allowed)) -}}
{{- fail (printf "%s is %s: want one of %s" $key (yamlq $s) (join ", " $allowed)) -}}
{{- end -}}
{{- $s -}}
{{- end -}}

{{/* cronjob.quantity: a Kubernetes quantity (100m, 512Mi, 1), or "" when not set. Takes (list KEY VALUE). */}}
{{- define "cronjob.quantity" -}}
{{- $key := index . 0 -}}{{- $s := include "cronjob.scalar" . -}}
{{- if and (ne $s "") (not (regexMatch "^[+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?[0-9]+|[munkMGTPE]|[KMGTPE]i)?$" $s)) -}}
{{- fail (printf "%s is %s: want a Kubernetes quantity such as 100m, 512Mi or 2" $key (yamlq $s)) -}}
{{- end -}}
{{- $s -}}
{{- end -}}

{{/* cronjob.path: a clean absolute path of letters, digits, '.', '_' and '-'. Takes (list KEY VALUE). */}}
{{- define "cronjob.path" -}}
{{- $key := index . 0 -}}{{- $s := include "cronjob.scalar" . -}}
{{- if or (not (regexMatch "^(/[A-Za-z0-9_.-]+)+$" $s)) (ne (clean $s) $s) -}}
{{- fail (printf "%s is %s: want a clean absolute path of letters, digits, '.', '_' and '-', such as /data" $key (yamlq $s)) -}}
{{- end -}}
{{- $s -}}
{{- end -}}

{{/* cronjob.within: "true" when path B is A or inside it. Takes (list A B). */}}
{{- define "cronjob.within" -}}
{{- $a := index . 0 -}}{{- $b := index . 1 -}}
{{- or (eq $a $b) (hasPrefix (printf "%s/" (trimSuffix "/" $a)) $b) -}}
{{- end -}}

{{/* cronjob.envValue: an env value as Kubernetes reads it literally: every "$" doubled, so
that $(NAME) is not replaced by another variable. */}}
{{- define "cronjob.envValue" -}}
{{- replace "$" "$$" . -}}
{{- end -}}

{{/* cronjob.labels: the labels of every object, Job and pod, as a dict: the pack's own, the
pipeline's, cronjob.labels (later wins), all checked. Takes (list $ NAME). Returns JSON. */}}
{{- define "cronjob.labels" -}}
{{- $root := index . 0 -}}{{- $name := index . 1 -}}
{{- $labels := dict "app.kubernetes.io/name" $name "app.kubernetes.io/managed-by" "wurzel" -}}
{{- range $k, $x := $root.Pipeline.Labels }}{{ $_ := set $labels $k $x }}{{ end -}}
{{- $own := get $root.Values.cronjob "labels" | default dict -}}
{{- if not (kindIs "map" $own) }}{{ fail "cronjob.labels must be a mapping of label keys to values" }}{{ end -}}
{{- range $k, $x := $own }}{{ $_ := set $labels $k (include "cronjob.scalar" (list (printf "cronjob.labels.%s" $k) $x)) }}{{ end -}}
{{- range $k := keys $labels -}}
{{- $where := ternary "cronjob.labels" "the pipeline's metadata.labels" (hasKey $own $k) -}}
{{- if or (hasPrefix "batch.kubernetes.io/" $k) (has $k (list "job-name" "controller-uid")) -}}
{{- fail (printf "%s sets label %s, which the Job controller sets on each run's pods: remove it" $where $k) -}}
{{- end -}}
{{- include "wurzel.k8sLabelKey" (list $where $k) -}}
{{- include "wurzel.k8sLabelValue" (list $where $k (index $labels $k)) -}}
{{- end -}}
{{- toJson $labels -}}
{{- end -}}

{{/* cronjob.map: a free-form mapping of strings (annotations, nodeSelector) at column 0, or "".
Keys are checked as label keys, and values as label values when KIND is "labels". Takes
(list KEY MAP KIND). */}}
{{- define "cronjob.map" -}}
{{- $key := index . 0 -}}{{- $m := index . 1 -}}{{- $labels := eq (index . 2) "labels" -}}
{{- if not (kindIs "map" $m) }}{{ $m = dict }}{{ end -}}
{{- $out := list -}}
{{- range $k := keys $m -}}
{{- include "wurzel.k8sLabelKey" (list $key $k) -}}
{{- $v := include "cronjob.scalar" (list (printf "%s.%s" $key $k) (index $m $k)) -}}
{{- if $labels }}{{ include "wurzel.k8sLabelValue" (list $key $k $v) }}{{ end -}}
{{- $out = append $out (printf "%s: %s" (yamlv $k) (yamlv $v)) -}}
{{- end -}}
{{- join "\n" $out -}}
{{- end -}}

{{/* cronjob.securityContext: the fields of a pod (level "pod") or container securityContext, as
YAML at column 0, or "" when none is set. Takes (list KEY VALUES LEVEL). */}}
{{- define "cronjob.securityContext" -}}
{{- $key := index . 0 -}}{{- $sc := index . 1 -}}{{- $pod := eq (index . 2) "pod" -}}
{{- if not (kindIs "map" $sc) }}{{ $sc = dict }}{{ end -}}
{{- $nonRoot := include "cronjob.bool" (list (printf "%s.runAsNonRoot" $key) (get $sc "runAsNonRoot")) -}}
{{- $user := include "cronjob.int" (list (printf "%s.runAsUser" $key) (get $sc "runAsUser")) -}}
{{- $group := include "cronjob.int" (list (printf "%s.runAsGroup" $key) (get $sc "runAsGroup")) -}}
{{- if and (eq $nonRoot "true") (eq $user "0") -}}
{{- fail (printf "%s.runAsUser is 0 (root) while runAsNonRoot is true: the pod would never start; choose a non-root user ID" $key) -}}
{{- end -}}
{{- $seccomp := include "cronjob.enum" (list (printf "%s.seccompProfileType" $key) (get $sc "seccompProfileType") (list "RuntimeDefault" "Localhost" "Unconfined")) -}}
{{- $localhost := include "cronjob.scalar" (list (printf "%s.seccompLocalhostProfile" $key) (get $sc "seccompLocalhostProfile")) -}}
{{- if and (eq $seccomp "Localhost") (eq $localhost "") -}}
{{- fail (printf "%s.seccompProfileType is Localhost: set %s.seccompLocalhostProfile to the profile's path on the node" $key $key) -}}
{{- end -}}
{{- $lines := list -}}
{{- if $pod -}}
{{- $fsGroup := include "cronjob.int" (list (printf "%s.fsGroup" $key) (get $sc "fsGroup")) -}}
{{- $fsPolicy := include "cronjob.enum" (list (printf "%s.fsGroupChangePolicy" $key) (get $sc "fsGroupChangePolicy") (list "OnRootMismatch" "Always")) -}}
{{- if $fsGroup }}{{ $lines = append $lines (printf "fsGroup: %s" $fsGroup) }}{{ end -}}
{{- if $fsPolicy }}{{ $lines = append $lines (printf "fsGroupChangePolicy: %s" $fsPolicy) }}{{ end -}}
{{- if $group }}{{ $lines = append $lines (printf "runAsGroup: %s" $group) }}{{ end -}}
{{- if $nonRoot }}{{ $lines = append $lines (printf "runAsNonRoot: %s" $nonRoot) }}{{ end -}}
{{- if $user }}{{ $lines = append $lines (printf "runAsUser: %s" $user) }}{{ end -}}
{{- if $seccomp }}{{ $lines = append $lines (include "cronjob.seccomp" (list $seccomp $localhost)) }}{{ end -}}
{{- $groups := get $sc "supplementalGroups" -}}
{{- if not (kindIs "slice" $groups) }}{{ $groups = ternary (list) (list $groups) (eq (include "cronjob.text" $groups) "") }}{{ end -}}
{{- if $groups -}}
{{- $lines = append $lines "supplementalGroups:" -}}
{{- range $i, $g := $groups }}{{ $lines = append $lines (printf "  - %s" (include "cronjob.int" (list (printf "%s.supplementalGroups[%d]" $key $i) $g))) }}{{ end -}}
{{- end -}}
{{- else -}}
{{- $escalation := include "cronjob.bool" (list (printf "%s.allowPrivilegeEscalation" $key) (get $sc "allowPrivilegeEscalation")) -}}
{{- $readOnly := include "cronjob.bool" (list (printf "%s.readOnlyRootFilesystem" $key) (get $sc "readOnlyRootFilesystem")) -}}
{{- if $escalation }}{{ $lines = append $lines (printf "allowPrivilegeEscalation: %s" $escalation) }}{{ end -}}
{{- $drop := get $sc "dropCapabilities" -}}
{{- if not (kindIs "slice" $drop) }}{{ $drop = ternary (list) (list $drop) (eq (include "cronjob.text" $drop) "") }}{{ end -}}
{{- if $drop -}}
{{- $lines = append $lines "capabilities:\n  drop:" -}}
{{- range $i, $d := $drop }}{{ $lines = append $lines (printf "    - %s" (include "cronjob.scalar" (list (printf "%s.dropCapabilities[%d]" $key $i) $d) | yamlv)) }}{{ end -}}
{{- end -}}
{{- if $readOnly }}{{ $lines = append $lines (printf "readOnlyRootFilesystem: %s" $readOnly) }}{{ end -}}
{{- if $group }}{{ $lines = append $lines (printf "runAsGroup: %s" $group) }}{{ end -}}
{{- if $nonRoot }}{{ $lines = append $lines (printf "runAsNonRoot: %s" $nonRoot) }}{{ end -}}
{{- if $user }}{{ $lines = append $lines (printf "runAsUser: %s" $user) }}{{ end -}}
{{- if $seccomp }}{{ $lines = append $lines (include "cronjob.seccomp" (list $seccomp $localhost)) }}{{ end -}}
{{- end -}}
{{- join "\n" $lines -}}
{{- end -}}

{{- define "cronjob.seccomp" -}}
seccompProfile:
  type: {{ index . 0 }}
{{- if eq (index . 0) "Localhost" }}
  localhostProfile: {{ index . 1 | yamlv }}
{{- end }}
{{- end -}}

{{/* cronjob.resources: requests and limits of the container, at column 0, or "". Takes $. */}}
{{- define "cronjob.resources" -}}
{{- $r := dig "container" "resources" dict .Values.cronjob -}}
{{- if not (kindIs "map" $r) }}{{ $r = dict }}{{ end -}}
{{- $requests := list -}}{{- $limits := list -}}
{{- range $field := list "cpu" "memory" "ephemeral_storage" -}}
{{- $name := replace "_" "-" $field -}}
{{- $req := include "cronjob.quantity" (list (printf "cronjob.container.resources.%s_request" $field) (get $r (printf "%s_request" $field))) -}}
{{- $lim := include "cronjob.quantity" (list (printf "cronjob.container.resources.%s_limit" $field) (get $r (printf "%s_limit" $field))) -}}
{{- if $req }}{{ $requests = append $requests (printf "  %s: %s" $name (yamlq $req)) }}{{ end -}}
{{- if $lim }}{{ $limits = append $limits (printf "  %s: %s" $name (yamlq $lim)) }}{{ end -}}
{{- end -}}
{{- $out := list -}}
{{- if $limits }}{{ $out = concat $out (list "limits:") $limits }}{{ end -}}
{{- if $requests }}{{ $out = concat $out (list "requests:") $requests }}{{ end -}}
{{- join "\n" $out -}}
{{- end -}}

{{/* cronjob.envFrom: envFrom of the container at column 0, or "": container.envFrom, then
secretRef, then configMapRef, as the argo pack orders them. Takes $. */}}
{{- define "cronjob.envFrom" -}}
{{- $c := dig "container" dict .Values.cronjob -}}
{{- $out := list -}}
{{- $entries := get $c "envFrom" -}}
{{- if not (kindIs "slice" $entries) }}{{ $entries = ternary (list) (list $entries) (eq (include "cronjob.text" $entries) "") }}{{ end -}}
{{- range $i, $e := $entries -}}
{{- $key := printf "cronjob.container.envFrom[%d]" $i -}}
{{- if not (kindIs "map" $e) }}{{ fail (printf "%s must be a mapping {kind, name, prefix, optional}" $key) }}{{ end -}}
{{- range $k := keys $e }}{{ if not (has $k (list "kind" "name" "prefix" "optional")) }}{{ fail (printf "%s has an unknown key %s: want kind, name, prefix and optional" $key (yamlq $k)) }}{{ end }}{{ end -}}
{{- $name := include "cronjob.scalar" (list (printf "%s.name" $key) (get $e "name")) -}}
{{- if eq $name "" }}{{ fail (printf "%s.name is empty: name the Secret or ConfigMap" $key) }}{{ end -}}
{{- $kind := include "cronjob.enum" (list (printf "%s.kind" $key) (get $e "kind") (list "secret" "configMap")) | default "secret" -}}
{{- $optional := include "cronjob.bool" (list (printf "%s.optional" $key) (get $e "optional")) | default "true" -}}
{{- $ref := ternary "configMapRef" "secretRef" (eq $kind "configMap") -}}
{{- $prefix := include "cronjob.scalar" (list (printf "%s.prefix" $key) (get $e "prefix")) -}}
{{- $out = append $out (printf "- %s:\n    name: %s\n    optional: %s\n  prefix: %s" $ref (yamlv $name) $optional (yamlq $prefix)) -}}
{{- end -}}
{{- range list "secretRef" "configMapRef" -}}
{{- $ref := . -}}
{{- $names := get $c $ref -}}
{{- if not (kindIs "slice" $names) }}{{ $names = ternary (list) (list $names) (eq (include "cronjob.text" $names) "") }}{{ end -}}
{{- range $i, $n := $names }}{{ $out = append $out (printf "- %s:\n    name: %s\n    optional: true\n  prefix: \"\"" $ref (include "cronjob.scalar" (list (printf "cronjob.container.%s[%d]" $ref $i) $n) | yamlv)) }}{{ end -}}
{{- end -}}
{{- join "\n" $out -}}
{{- end -}}

{{/* cronjob.tokenizerCache: "existing", "create" or "" (disabled). Takes $. */}}
{{- define "cronjob.tokenizerCache" -}}
{{- $cache := dig "container" "tokenizerCache" dict .Values.cronjob -}}
{{- if not (kindIs "map" $cache) }}{{ $cache = dict }}{{ end -}}
{{- if eq (include "cronjob.bool" (list "cronjob.container.tokenizerCache.enabled" (get $cache "enabled"))) "true" -}}
{{- $_ := include "cronjob.path" (list "cronjob.container.tokenizerCache.mountPath" (get $cache "mountPath")) -}}
{{- if eq (include "cronjob.bool" (list "cronjob.container.tokenizerCache.createPvc" (get $cache "createPvc"))) "true" }}create{{ else }}existing{{ end -}}
{{- end -}}
{{- end -}}

{{/* cronjob.accessModes: a list of access modes at column 0. Takes (list KEY VALUE). */}}
{{- define "cronjob.accessModes" -}}
{{- $key := index . 0 -}}{{- $modes := index . 1 -}}
{{- if not (kindIs "slice" $modes) }}{{ $modes = ternary (list) (list $modes) (eq (include "cronjob.text" $modes) "") }}{{ end -}}
{{- if not $modes }}{{ fail (printf "%s is empty: list at least one access mode, such as ReadWriteOnce" $key) }}{{ end -}}
{{- $out := list -}}
{{- range $i, $m := $modes }}{{ $out = append $out (printf "- %s" (include "cronjob.enum" (list (printf "%s[%d]" $key $i) $m (list "ReadWriteOnce" "ReadWriteOncePod" "ReadWriteMany" "ReadOnlyMany")))) }}{{ end -}}
{{- join "\n" $out -}}
{{- end -}}

{{/* cronjob.claimSpec: a PersistentVolumeClaim's spec at column 0. Takes (list KEY VALUES). */}}
{{- define "cronjob.claimSpec" -}}
{{- $key := index . 0 -}}{{- $v := index . 1 -}}
{{- $size := include "cronjob.quantity" (list (printf "%s.storageSize" $key) (get $v "storageSize")) -}}
{{- if eq $size "" }}{{ fail (printf "%s.storageSize is empty: give the size of the claim, such as 10Gi" $key) }}{{ end -}}
accessModes:
{{ include "cronjob.accessModes" (list (printf "%s.accessModes" $key) (get $v "accessModes")) | indent 2 }}
resources:
  requests:
    storage: {{ yamlq $size }}
{{- with include "cronjob.scalar" (list (printf "%s.storageClassName" $key) (get $v "storageClassName")) }}
storageClassName: {{ yamlv . }}
{{- end }}
{{- end -}}
