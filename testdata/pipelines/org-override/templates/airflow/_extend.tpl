{{/*
ACME Corp's additions to every Airflow DAG (see the embedded airflow/_extend.tpl).
*/}}

{{/* ACME's alerting callback, installed on every Airflow worker as the acme_airflow package. */}}
{{- define "airflow.extend.imports" -}}
from acme_airflow.alerts import page_on_failure
{{- end -}}

{{/* Failed tasks page the data platform's on-call and mail the team. */}}
{{- define "airflow.extend.defaultArgs" -}}
"on_failure_callback": page_on_failure,
"email": ["data-platform@acme.example"],
"email_on_failure": True,
"email_on_retry": False,
{{- end -}}

{{/* The DAG's page in the UI says where its source is. */}}
{{- define "airflow.extend.dag" -}}
doc_md="Rendered by wurzel: edit pipeline.yaml, not this file.",
{{- end -}}

{{/* Every step runs in the wurzel pool, so that pipelines share a bounded number of slots. */}}
{{- define "airflow.extend.task" -}}
pool="wurzel",
{{- end -}}
