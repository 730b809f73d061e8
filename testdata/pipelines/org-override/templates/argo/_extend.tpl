{{/*
ACME Corp's additions to every Argo workflow (see the embedded argo/_extend.tpl).
*/}}

{{/* Delete the pods of successful steps at once and finished workflows after a week, and
label every pod with the cost centre for the cluster's cost reports. */}}
{{- define "argo.extend.spec" -}}
podGC:
  strategy: OnPodSuccess
ttlStrategy:
  secondsAfterCompletion: 604800
podMetadata:
  labels:
    acme.example/cost-center: cc-4711
    acme.example/pipeline: {{ yamlv .Pipeline.Name }}
{{- end -}}

{{/* Every step ships its logs through the ACME log forwarder, started before the step. */}}
{{- define "argo.extend.template" -}}
{{- $step := index . 1 -}}
sidecars:
  - name: log-forwarder
    image: registry.acme.example/log-forwarder:2.3.1
    args: [--tag, {{ printf "wurzel/%s" $step.ID | yamlv }}]
    resources:
      requests:
        cpu: 10m
        memory: 32Mi
      limits:
        memory: 64Mi
{{- end -}}

{{- define "argo.extend.container" -}}
imagePullPolicy: IfNotPresent
{{- end -}}
