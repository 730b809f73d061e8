{{/* ACME Corp: every .gitlab-ci.yml names its owner, and every step reports to the data catalogue. */}}

{{- define "gitlab.header.extra" -}}
# ACME Corp: owned by #data-platform. Every step records its run in the data catalogue.
{{- end -}}

{{- define "gitlab.job.extra" }}
  after_script:
    - {{ printf "%s --run \"$WURZEL_RUN_ID\" --status \"$CI_JOB_STATUS\"" (shJoin (toStrings (list "acme-catalog" "record" "--pipeline" .root.Pipeline.Name "--step" .step.Name))) | yamlv }}
{{- end -}}
