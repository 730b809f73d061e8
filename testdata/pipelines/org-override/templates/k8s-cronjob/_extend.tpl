{{/*
ACME Corp's additions to every CronJob (see the embedded k8s-cronjob/_extend.tpl).
*/}}

{{- define "cronjob.extend.jobSpec" -}}
{{- end -}}

{{/* Runs are batch work: low priority, spread away from the nodes of interactive services,
and logs shipped by the ACME log forwarder, a native sidecar started before wurzel. */}}
{{- define "cronjob.extend.podSpec" -}}
priorityClassName: acme-batch-low
affinity:
  nodeAffinity:
    preferredDuringSchedulingIgnoredDuringExecution:
      - weight: 100
        preference:
          matchExpressions:
            - key: acme.example/workload
              operator: In
              values: [batch]
initContainers:
  - name: log-forwarder
    image: registry.acme.example/log-forwarder:2.3.1
    restartPolicy: Always
    args: [--tag, {{ printf "wurzel/%s" .Pipeline.Name | yamlv }}]
    resources:
      requests:
        cpu: 10m
        memory: 32Mi
      limits:
        memory: 64Mi
    securityContext:
      allowPrivilegeEscalation: false
      readOnlyRootFilesystem: true
      capabilities:
        drop: [ALL]
{{- end -}}

{{- define "cronjob.extend.container" -}}
imagePullPolicy: IfNotPresent
{{- end -}}
