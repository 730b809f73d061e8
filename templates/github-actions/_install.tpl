{{/*
gha.install: the steps that put `wurzel` on PATH in every job that runs on the runner (jobs
of steps with their own image: skip them). Called with the root data; the output goes at the
indentation of a job's steps. wurzel is built without cgo (a static binary, as the releases
are). A release or pseudo-version (not latest, not a branch) is kept in actions/cache, keyed
by package, version, runner OS and architecture: only a job that misses the cache sets up Go
and builds it. Organisations that install wurzel their own way (an internal Go
proxy, a release mirror, a cached binary) override this file, or set
githubActions.install.steps.
*/}}
{{- define "gha.install" -}}
{{- $gha := .Values.githubActions -}}
{{- if $gha.install.steps -}}
{{ include "gha.userSteps" (list "githubActions.install.steps" $gha.install.steps) }}
{{- else -}}
{{- range $k := list "version" "package" "goVersion" -}}
{{- if not (kindIs "string" (index $gha.install $k)) -}}
{{- fail (printf "githubActions.install.%s is the %s %v; write it as a string in quotes (YAML reads 1.20 as the number 1.2)" $k (kindOf (index $gha.install $k)) (index $gha.install $k)) -}}
{{- end -}}
{{- end -}}
{{- $version := $gha.install.version -}}
{{- if not $version -}}
{{- $version = "latest" -}}
{{- if regexMatch "^v?[0-9]+\\.[0-9]+\\.[0-9]+(-[0-9A-Za-z.]+)?$" .Wurzel.Version -}}
{{- $version = printf "v%s" (trimPrefix "v" .Wurzel.Version) -}}
{{- end -}}
{{- end -}}
{{- $install := include "gha.cmd" (list "go" "install" (printf "%s@%s" $gha.install.package $version)) | fromJson }}
{{- /* A release or pseudo-version names one build; latest or a branch moves. */ -}}
{{- $cached := regexMatch "^v[0-9]+\\.[0-9]+\\.[0-9]+(-[0-9A-Za-z.-]+)?$" $version }}
{{- if $cached }}
      - name: Restore wurzel from the cache
        id: wurzel-cache
        uses: {{ include "gha.plain" $gha.actions.cache }}
        with:
          path: |
            ~/go/bin/wurzel
            ~/go/bin/wurzel.exe
          key: {{ printf "wurzel-%s@%s-${{ runner.os }}-${{ runner.arch }}" $gha.install.package $version | yamlv }}
{{- end }}
      - name: Set up Go
{{- if $cached }}
        if: steps.wurzel-cache.outputs.cache-hit != 'true'
{{- end }}
        uses: {{ include "gha.plain" $gha.actions.setupGo }}
        with:
          go-version: {{ yamlv $gha.install.goVersion }}
          cache: false
      - name: Install wurzel
{{- if $cached }}
        if: steps.wurzel-cache.outputs.cache-hit != 'true'
{{- end }}
        env:
          CGO_ENABLED: "0"
{{- range $name := keys $install.env }}
          {{ yamlv $name }}: {{ index $install.env $name | yamlv }}
{{- end }}
        run: {{ include "gha.script" (list $install.cmd 10) }}
{{- if $cached }}
      - name: Put the cached wurzel on PATH
        if: steps.wurzel-cache.outputs.cache-hit == 'true'
        shell: bash
        run: |
          bin="$HOME/go/bin"
          if command -v cygpath >/dev/null; then bin=$(cygpath -w "$bin"); fi
          echo "$bin" >> "$GITHUB_PATH"
{{- end }}
{{- end -}}
{{- end -}}
