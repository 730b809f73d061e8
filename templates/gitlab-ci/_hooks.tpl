{{/*
Hooks for organisations: override this one file (wurzel render --templates-dir DIR with
DIR/gitlab-ci/_hooks.tpl) to add to every rendered .gitlab-ci.yml without copying the rest of
the pack. Both receive a dict: .root is the template data, .step the step (gitlab.job.extra only),
.name the job's name.
*/}}

{{/* gitlab.header.extra: comment lines added to the end of the file's header, each starting with "# ". */}}
{{- define "gitlab.header.extra" -}}
{{- end -}}

{{/* gitlab.job.extra: keys added to every step's job, indented by two spaces. Keep the indentation
of the first line: open the define without trimming after it, as in
  {{- define "gitlab.job.extra" }}
    after_script:
      - {{ shJoin (toStrings (list "notify" .step.Name)) | yamlv }}
  {{- end -}}
*/}}
{{- define "gitlab.job.extra" -}}
{{- end -}}
