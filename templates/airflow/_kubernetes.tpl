{{/*
The KubernetesPodOperator parts of the airflow pack (airflow.operator: kubernetes). Each helper
returns Python at column 0; the DAG template indents it.
*/}}

{{/* airflow.k8s.securityContext: keyword arguments of a V1PodSecurityContext (LEVEL "pod") or
V1SecurityContext, one per line, or "". Takes (list KEY VALUES LEVEL). */}}
{{- define "airflow.k8s.securityContext" -}}
{{- $key := index . 0 -}}{{- $sc := index . 1 -}}{{- $pod := eq (index . 2) "pod" -}}
{{- if not (kindIs "map" $sc) }}{{ $sc = dict }}{{ end -}}
{{- $nonRoot := include "airflow.bool" (list (printf "%s.runAsNonRoot" $key) (get $sc "runAsNonRoot")) -}}
{{- $user := include "airflow.int" (list (printf "%s.runAsUser" $key) (get $sc "runAsUser")) -}}
{{- $group := include "airflow.int" (list (printf "%s.runAsGroup" $key) (get $sc "runAsGroup")) -}}
{{- $seccomp := include "airflow.enum" (list (printf "%s.seccompProfileType" $key) (get $sc "seccompProfileType") (list "RuntimeDefault" "Localhost" "Unconfined")) -}}
{{- $localhost := include "airflow.text" (get $sc "seccompLocalhostProfile") -}}
{{- if and (eq $seccomp "Localhost") (eq $localhost "") -}}
{{- fail (printf "%s.seccompProfileType is Localhost: set %s.seccompLocalhostProfile to the profile's path on the node" $key $key) -}}
{{- end -}}
{{- $lines := list -}}
{{- if $pod -}}
{{- $fsGroup := include "airflow.int" (list (printf "%s.fsGroup" $key) (get $sc "fsGroup")) -}}
{{- $fsPolicy := include "airflow.enum" (list (printf "%s.fsGroupChangePolicy" $key) (get $sc "fsGroupChangePolicy") (list "OnRootMismatch" "Always")) -}}
{{- if $fsGroup }}{{ $lines = append $lines (printf "fs_group=%s," $fsGroup) }}{{ end -}}
{{- if $fsPolicy }}{{ $lines = append $lines (printf "fs_group_change_policy=%s," (pyq $fsPolicy)) }}{{ end -}}
{{- else -}}
{{- $escalation := include "airflow.bool" (list (printf "%s.allowPrivilegeEscalation" $key) (get $sc "allowPrivilegeEscalation")) -}}
{{- if $escalation }}{{ $lines = append $lines (printf "allow_privilege_escalation=%s," (include "airflow.py" $escalation)) }}{{ end -}}
{{- $drop := list -}}
{{- range $i, $c := include "airflow.list" (get $sc "dropCapabilities") | fromJson -}}
{{- $drop = append $drop (include "airflow.text" $c | pyq) -}}
{{- end -}}
{{- if $drop }}{{ $lines = append $lines (printf "capabilities=k8s.V1Capabilities(drop=[%s])," (join ", " $drop)) }}{{ end -}}
{{- $readOnly := include "airflow.bool" (list (printf "%s.readOnlyRootFilesystem" $key) (get $sc "readOnlyRootFilesystem")) -}}
{{- if $readOnly }}{{ $lines = append $lines (printf "read_only_root_filesystem=%s," (include "airflow.py" $readOnly)) }}{{ end -}}
{{- end -}}
{{- if $group }}{{ $lines = append $lines (printf "run_as_group=%s," $group) }}{{ end -}}
{{- if $nonRoot }}{{ $lines = append $lines (printf "run_as_non_root=%s," (include "airflow.py" $nonRoot)) }}{{ end -}}
{{- if $user }}{{ $lines = append $lines (printf "run_as_user=%s," $user) }}{{ end -}}
{{- if $seccomp -}}
{{- if eq $seccomp "Localhost" -}}
{{- $lines = append $lines (printf "seccomp_profile=k8s.V1SeccompProfile(type=\"Localhost\", localhost_profile=%s)," (pyq $localhost)) -}}
{{- else -}}
{{- $lines = append $lines (printf "seccomp_profile=k8s.V1SeccompProfile(type=%s)," (pyq $seccomp)) -}}
{{- end -}}
{{- end -}}
{{- if $pod -}}
{{- $groups := list -}}
{{- range $i, $g := include "airflow.list" (get $sc "supplementalGroups") | fromJson -}}
{{- $groups = append $groups (include "airflow.int" (list (printf "%s.supplementalGroups[%d]" $key $i) $g) | required (printf "%s.supplementalGroups[%d] is empty: want a group ID" $key $i)) -}}
{{- end -}}
{{- if $groups }}{{ $lines = append $lines (printf "supplemental_groups=[%s]," (join ", " $groups)) }}{{ end -}}
{{- end -}}
{{- join "\n" $lines -}}
{{- end -}}

{{/* airflow.k8s.resources: requests= and limits= of a V1ResourceRequirements, or "". Takes $. */}}
{{- define "airflow.k8s.resources" -}}
{{- $r := dig "kubernetes" "resources" dict .Values.airflow -}}
{{- if not (kindIs "map" $r) }}{{ $r = dict }}{{ end -}}
{{- $requests := list -}}{{- $limits := list -}}
{{- range $field := list "cpu" "memory" "ephemeral_storage" -}}
{{- $name := replace "_" "-" $field -}}
{{- $req := include "airflow.quantity" (list (printf "airflow.kubernetes.resources.%s_request" $field) (get $r (printf "%s_request" $field))) -}}
{{- $lim := include "airflow.quantity" (list (printf "airflow.kubernetes.resources.%s_limit" $field) (get $r (printf "%s_limit" $field))) -}}
{{- if $req }}{{ $requests = append $requests (printf "%s: %s" (pyq $name) (pyq $req)) }}{{ end -}}
{{- if $lim }}{{ $limits = append $limits (printf "%s: %s" (pyq $name) (pyq $lim)) }}{{ end -}}
{{- end -}}
{{- $out := list -}}
{{- if $requests }}{{ $out = append $out (printf "requests={%s}," (join ", " $requests)) }}{{ end -}}
{{- if $limits }}{{ $out = append $out (printf "limits={%s}," (join ", " $limits)) }}{{ end -}}
{{- join "\n" $out -}}
{{- end -}}

{{/* airflow.k8s.envFrom: V1EnvFromSource items, one per line: envFrom, then secretRef, then
configMapRef, as the argo pack orders them. Takes $. */}}
{{- define "airflow.k8s.envFrom" -}}
{{- $c := dig "kubernetes" dict .Values.airflow -}}
{{- $out := list -}}
{{- range $i, $e := include "airflow.list" (get $c "envFrom") | fromJson -}}
{{- $key := printf "airflow.kubernetes.envFrom[%d]" $i -}}
{{- if not (kindIs "map" $e) }}{{ fail (printf "%s must be a mapping {kind, name, prefix, optional}" $key) }}{{ end -}}
{{- $name := include "airflow.dns" (list (printf "%s.name" $key) (get $e "name") "Secret or ConfigMap") -}}
{{- if eq $name "" }}{{ fail (printf "%s.name is empty: name the Secret or ConfigMap" $key) }}{{ end -}}
{{- $kind := include "airflow.enum" (list (printf "%s.kind" $key) (get $e "kind") (list "secret" "configMap")) | default "secret" -}}
{{- $optional := include "airflow.bool" (list (printf "%s.optional" $key) (get $e "optional")) | default "true" -}}
{{- $prefix := include "airflow.text" (get $e "prefix") -}}
{{- if not (regexMatch "^([A-Za-z_][A-Za-z0-9_]*)?$" $prefix) -}}
{{- fail (printf "%s.prefix is %q: want letters, digits and '_', not starting with a digit" $key $prefix) -}}
{{- end -}}
{{- $source := ternary "config_map_ref=k8s.V1ConfigMapEnvSource" "secret_ref=k8s.V1SecretEnvSource" (eq $kind "configMap") -}}
{{- $item := printf "k8s.V1EnvFromSource(%s(name=%s, optional=%s)" $source (pyq $name) (include "airflow.py" $optional) -}}
{{- if $prefix }}{{ $item = printf "%s, prefix=%s" $item (pyq $prefix) }}{{ end -}}
{{- $out = append $out (printf "%s)," $item) -}}
{{- end -}}
{{- range $ref := list "secretRef" "configMapRef" -}}
{{- $source := ternary "config_map_ref=k8s.V1ConfigMapEnvSource" "secret_ref=k8s.V1SecretEnvSource" (eq $ref "configMapRef") -}}
{{- range $i, $n := include "airflow.list" (get $c $ref) | fromJson -}}
{{- $name := include "airflow.dns" (list (printf "airflow.kubernetes.%s[%d]" $ref $i) $n (ternary "ConfigMap" "Secret" (eq $ref "configMapRef"))) -}}
{{- if $name }}{{ $out = append $out (printf "k8s.V1EnvFromSource(%s(name=%s, optional=True))," $source (pyq $name)) }}{{ end -}}
{{- end -}}
{{- end -}}
{{- join "\n" $out -}}
{{- end -}}

{{/* airflow.k8s.secretFiles: Secret("volume", …) items for airflow.kubernetes.mountSecrets, one
per line, or "". Takes $. */}}
{{- define "airflow.k8s.secretFiles" -}}
{{- $out := list -}}
{{- range $i, $m := include "airflow.list" (dig "kubernetes" "mountSecrets" list .Values.airflow) | fromJson -}}
{{- $key := printf "airflow.kubernetes.mountSecrets[%d]" $i -}}
{{- if not (kindIs "map" $m) }}{{ fail (printf "%s must be a mapping {from, to, mappings}" $key) }}{{ end -}}
{{- $from := include "airflow.dns" (list (printf "%s.from" $key) (get $m "from") "Secret") -}}
{{- if eq $from "" }}{{ fail (printf "%s.from is empty: name the Secret to mount" $key) }}{{ end -}}
{{- $to := include "airflow.text" (get $m "to") -}}
{{- if or (not (hasPrefix "/" $to)) (ne (clean $to) $to) -}}
{{- fail (printf "%s.to is %q: want a clean absolute path, such as /etc/ssl" $key $to) -}}
{{- end -}}
{{- $items := list -}}
{{- range $j, $mp := include "airflow.list" (get $m "mappings") | fromJson -}}
{{- if not (kindIs "map" $mp) }}{{ fail (printf "%s.mappings[%d] must be a mapping {key, value}" $key $j) }}{{ end -}}
{{- $k := include "airflow.text" (get $mp "key") -}}{{- $file := include "airflow.text" (get $mp "value") -}}
{{- if or (eq $k "") (eq $file "") }}{{ fail (printf "%s.mappings[%d] needs a key (in the Secret) and a value (the file name)" $key $j) }}{{ end -}}
{{- if or (hasPrefix "/" $file) (ne (clean $file) $file) (eq $file "..") (hasPrefix "../" $file) -}}
{{- fail (printf "%s.mappings[%d].value is %q: want a relative file name inside %s" $key $j $file $to) -}}
{{- end -}}
{{- $items = append $items (printf "k8s.V1KeyToPath(key=%s, path=%s)" (pyq $k) (pyq $file)) -}}
{{- end -}}
{{- if $items -}}
{{- $out = append $out (printf "Secret(\"volume\", %s, %s, items=[\n    %s,\n])," (pyq $to) (pyq $from) (join ",\n    " $items)) -}}
{{- else -}}
{{- $out = append $out (printf "Secret(\"volume\", %s, %s)," (pyq $to) (pyq $from)) -}}
{{- end -}}
{{- end -}}
{{- join "\n" $out -}}
{{- end -}}

{{/* airflow.k8s.strMap: a values map as Python dict items, one per line (sorted), each key
checked as a label or annotation key and each value by CHECK ("label" or "text"). Takes
(list KEY MAP CHECK). */}}
{{- define "airflow.k8s.strMap" -}}
{{- $key := index . 0 -}}{{- $m := index . 1 -}}{{- $check := index . 2 -}}
{{- $out := list -}}
{{- range $k := keys $m -}}
{{- include "wurzel.k8sLabelKey" (list $key $k) -}}
{{- $v := index $m $k -}}
{{- $s := "" -}}
{{- if eq $check "label" -}}
{{- $s = include "airflow.labelValue" (list (printf "%s.%s" $key $k) $v) -}}
{{- else -}}
{{- $s = include "airflow.jinjaText" (list (printf "%s.%s" $key $k) $v) -}}
{{- end -}}
{{- $out = append $out (printf "%s: %s," (pyq $k) (pyq $s)) -}}
{{- end -}}
{{- join "\n" $out -}}
{{- end -}}

{{/* airflow.k8s.pod: the POD = dict(…) of keyword arguments every task shares, at column 0. Takes $. */}}
{{- define "airflow.k8s.pod" -}}
{{- $root := . -}}
{{- $c := dig "kubernetes" dict .Values.airflow -}}
{{- if not (kindIs "map" $c) }}{{ fail "airflow.kubernetes must be a mapping" }}{{ end -}}
{{- $ns := include "airflow.text" (get $c "namespace") -}}
{{- if and $ns (or (gt (len $ns) 63) (not (regexMatch "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$" $ns))) -}}
{{- fail (printf "airflow.kubernetes.namespace %q is not a Kubernetes namespace name: use lowercase letters, digits and '-'" $ns) -}}
{{- end -}}
{{- $conn := include "airflow.text" (get $c "kubernetesConnId") -}}
{{- if and $conn (not (regexMatch "^[A-Za-z0-9_.-]{1,250}$" $conn)) -}}
{{- fail (printf "airflow.kubernetes.kubernetesConnId %q is not an Airflow connection id: letters, digits, '_', '.' and '-'" $conn) -}}
{{- end -}}
{{- $inCluster := include "airflow.bool" (list "airflow.kubernetes.inCluster" (get $c "inCluster")) -}}
{{- $sa := include "airflow.dns" (list "airflow.kubernetes.serviceAccountName" (get $c "serviceAccountName") "service account") -}}
{{- $pull := include "airflow.enum" (list "airflow.kubernetes.imagePullPolicy" (get $c "imagePullPolicy") (list "Always" "IfNotPresent" "Never")) -}}
{{- $pullSecrets := list -}}
{{- range $i, $n := include "airflow.list" (get $c "imagePullSecrets") | fromJson -}}
{{- with include "airflow.dns" (list (printf "airflow.kubernetes.imagePullSecrets[%d]" $i) $n "Secret") }}{{ $pullSecrets = append $pullSecrets (printf "k8s.V1LocalObjectReference(name=%s)" (pyq .)) }}{{ end -}}
{{- end -}}
{{- $startup := include "airflow.int" (list "airflow.kubernetes.startupTimeoutSeconds" (get $c "startupTimeoutSeconds")) -}}
{{- $finish := include "airflow.enum" (list "airflow.kubernetes.onFinishAction" (get $c "onFinishAction") (list "delete_pod" "delete_succeeded_pod" "keep_pod")) -}}
{{- $claim := include "airflow.dns" (list "airflow.kubernetes.dataVolume.claimName" (dig "dataVolume" "claimName" "" $c) "PersistentVolumeClaim") -}}
{{- if eq $claim "" -}}
{{- fail "airflow.kubernetes.dataVolume.claimName is empty: name the PersistentVolumeClaim that carries output folders from step to step (mounted at airflow.dataDir in every pod)" -}}
{{- end -}}
{{- $labels := dict -}}
{{- range $k, $x := .Pipeline.Labels }}{{ $_ := set $labels $k $x }}{{ end -}}
{{- $vl := get $c "labels" -}}
{{- if kindIs "map" $vl }}{{ range $k, $x := $vl }}{{ $_ := set $labels $k $x }}{{ end }}{{ end -}}
{{- $annotations := dict -}}
{{- range $k, $x := .Pipeline.Annotations }}{{ $_ := set $annotations $k $x }}{{ end -}}
{{- $va := get $c "annotations" -}}
{{- if kindIs "map" $va }}{{ range $k, $x := $va }}{{ $_ := set $annotations $k $x }}{{ end }}{{ end -}}
{{- $nodeSelector := get $c "nodeSelector" -}}
{{- if not (kindIs "map" $nodeSelector) }}{{ $nodeSelector = dict }}{{ end -}}
POD = dict(
{{- with $ns }}
    namespace={{ pyq . }},
{{- end }}
{{- with $conn }}
    kubernetes_conn_id={{ pyq . }},
{{- end }}
{{- with $inCluster }}
    in_cluster={{ include "airflow.py" . }},
{{- end }}
{{- with $sa }}
    service_account_name={{ pyq . }},
{{- end }}
{{- with $pull }}
    image_pull_policy={{ pyq . }},
{{- end }}
{{- with $pullSecrets }}
    image_pull_secrets=[{{ join ", " . }}],
{{- end }}
{{- with $startup }}
    startup_timeout_seconds={{ . }},
{{- end }}
{{- with $finish }}
    on_finish_action={{ pyq . }},
{{- end }}
{{- with include "airflow.k8s.resources" . }}
    container_resources=k8s.V1ResourceRequirements(
{{ . | indent 8 }}
    ),
{{- end }}
{{- with include "airflow.k8s.securityContext" (list "airflow.kubernetes.podSecurityContext" (get $c "podSecurityContext") "pod") }}
    security_context=k8s.V1PodSecurityContext(
{{ . | indent 8 }}
    ),
{{- end }}
{{- with include "airflow.k8s.securityContext" (list "airflow.kubernetes.securityContext" (get $c "securityContext") "container") }}
    container_security_context=k8s.V1SecurityContext(
{{ . | indent 8 }}
    ),
{{- end }}
{{- with include "airflow.k8s.envFrom" . }}
    env_from=[
{{ . | indent 8 }}
    ],
{{- end }}
    # Output folders live on this claim, mounted at dataDir in every pod: it carries them
    # from step to step.
    volumes=[
        k8s.V1Volume(
            name="wurzel-data",
            persistent_volume_claim=k8s.V1PersistentVolumeClaimVolumeSource(claim_name={{ pyq $claim }}),
        ),
    ],
    volume_mounts=[k8s.V1VolumeMount(name="wurzel-data", mount_path={{ pyq .Pipeline.DataDir }})],
{{- with include "airflow.k8s.strMap" (list "airflow.kubernetes.nodeSelector" $nodeSelector "label") }}
    node_selector={
{{ . | indent 8 }}
    },
{{- end }}
{{- with include "airflow.k8s.strMap" (list "annotations (metadata.annotations, airflow.kubernetes.annotations)" $annotations "text") }}
    annotations={
{{ . | indent 8 }}
    },
{{- end }}
{{- with include "airflow.k8s.strMap" (list "labels (metadata.labels, airflow.kubernetes.labels)" $labels "label") }}
    labels={
{{ . | indent 8 }}
    },
{{- end }}
)
{{- end -}}

{{/* airflow.k8s.task: the KubernetesPodOperator(…) call of a step, at column 0. Takes (list $ STEP). */}}
{{- define "airflow.k8s.task" -}}
{{- $root := index . 0 -}}{{- $step := index . 1 -}}
{{- $c := dig "kubernetes" dict $root.Values.airflow -}}
{{- $image := include "wurzel.image" (list $root $step (include "airflow.text" (get $c "image"))) -}}
{{- if not (regexMatch "^[^\\s\"'`\\\\{}]+$" $image) -}}
{{- fail (printf "the image %q of step %s is not a container image reference (airflow.kubernetes.image, global.image or the step's image:)" $image $step.Name) -}}
{{- end -}}
{{- range $step.Secrets -}}
{{- if ne .Env (upper .Env) -}}
{{- fail (printf "step %s: setting %s reads secret %s, but the KubernetesPodOperator's Secret upper-cases variable names, so the step would not see %s: name the setting in upper case" $step.Name .Name .SecretName .Env) -}}
{{- end -}}
{{- end -}}
{{- $mixed := include "airflow.argvMixed" (list $root $step) -}}
{{- $files := include "airflow.k8s.secretFiles" $root -}}
{{- if $step.Custom -}}
# A custom step: its image must hold wurzel and {{ include "airflow.customNote" $step }}.
{{ end -}}
{{ include "airflow.var" $step }} = KubernetesPodOperator(
    task_id={{ pyq $step.ID }},
    image={{ pyq $image }},
    cmds=[{{ index $step.Argv 0 | pyq }}],
{{- if $mixed }}
    arguments=[
{{ include "airflow.argvLines" (list $root $step true) | indent 8 }}
    ],
{{- else }}
    arguments=literal([
{{ include "airflow.argvLines" (list $root $step false) | indent 8 }}
    ]),
{{- end }}
    env_vars=ENV,
{{- if $step.Secrets }}
    secrets=[
{{- if $files }}
        *SECRET_FILES,
{{- end }}
{{- range $step.Secrets }}
        Secret("env", {{ pyq .Env }}, {{ pyq .SecretName }}, {{ pyq .SecretKey }}),
{{- end }}
    ],
{{- else if $files }}
    secrets=SECRET_FILES,
{{- end }}
{{- include "airflow.taskCommon" (list $root $step) }}
    **POD,
)
{{- end -}}
