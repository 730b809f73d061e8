{{/*
ACME Corp: runners reach no public Go proxy. wurzel comes from ACME's module proxy, at the
version the platform team has vetted; everything else is the embedded pack.
*/}}
{{- define "gha.install" -}}
{{- $gha := .Values.githubActions }}
      - name: Set up Go
        uses: {{ include "gha.plain" $gha.actions.setupGo }}
        with:
          go-version: {{ yamlv (toString $gha.install.goVersion) }}
          cache: false
      - name: Install wurzel from the ACME Go proxy
        env:
          GOPROXY: https://goproxy.acme.internal
        run: go install github.com/wurzel-dev/wurzel/cmd/wurzel@v1.4.2
{{- end -}}
