{{/*
Extension points of the k8s-cronjob pack. They render nothing here. To add to every CronJob
what values cannot express (affinity, priority classes, topology spread, init containers,
sidecars, image pull policy, …), override only this file:

  wurzel templates export k8s-cronjob DIR     then edit DIR/k8s-cronjob/_extend.tpl
  wurzel render --templates-dir DIR

Each block returns YAML at column 0 (wurzel indents it), or nothing. A key the pack already
writes must not be repeated: the rendered file would hold it twice and fail to parse.
*/}}

{{/* cronjob.extend.jobSpec: more keys of the Job spec (the CronJob's jobTemplate.spec). Takes $. */}}
{{- define "cronjob.extend.jobSpec" -}}
{{- end -}}

{{/* cronjob.extend.podSpec: more keys of the pod spec (affinity, priorityClassName,
topologySpreadConstraints, initContainers, dnsConfig, …). Takes $. */}}
{{- define "cronjob.extend.podSpec" -}}
{{- end -}}

{{/* cronjob.extend.container: more keys of the container that runs the pipeline
(imagePullPolicy, workingDir, …). Takes $. */}}
{{- define "cronjob.extend.container" -}}
{{- end -}}
