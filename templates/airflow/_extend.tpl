{{/*
Extension points of the airflow pack. They render nothing here. To add to every DAG what values
cannot express (callbacks, email on failure, pools, SLAs, on_*_callback, your own operators'
settings), override only this file:

  wurzel templates export airflow DIR     then edit DIR/airflow/_extend.tpl
  wurzel render --templates-dir DIR

Each block returns Python at column 0 (wurzel indents it), or nothing. Write strings with pyq,
never by pasting values between quotes. A keyword the pack already writes must not be repeated:
Python refuses a keyword given twice.
*/}}

{{/* airflow.extend.imports: more import lines, in a group after the pack's own. Takes $. */}}
{{- define "airflow.extend.imports" -}}
{{- end -}}

{{/* airflow.extend.defaultArgs: more "key": value, entries of the DAG's default_args. Takes $. */}}
{{- define "airflow.extend.defaultArgs" -}}
{{- end -}}

{{/* airflow.extend.dag: more key=value, keyword arguments of DAG(…). Takes $. */}}
{{- define "airflow.extend.dag" -}}
{{- end -}}

{{/* airflow.extend.task: more key=value, keyword arguments of each step's operator. Takes (list $ $step). */}}
{{- define "airflow.extend.task" -}}
{{- end -}}
