{{- define "argo.name" }}shadowed{{ end }}
