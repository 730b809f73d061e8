// Package helmchart writes the Helm chart equivalent to a wurzel pipeline, for the benchmark
// against `helm template`: the chart a team would write to get wurzel's six rendered files
// from Helm. Its values hold the steps as pipeline.yaml declares them (name, class or
// command, dependsOn, settings, secrets, retries, timeout); its templates derive the rest
// (IDs, env prefixes, the `wurzel run` command lines, stages) and write an Argo
// CronWorkflow, a GitHub Actions workflow, GitLab CI, dvc.yaml, the DVC settings file and
// the Airflow DAG (both as ConfigMaps: Helm writes manifests only) and a Kubernetes
// CronJob with the pipeline in a ConfigMap. The defaults are those of wurzel's packs, so
// the output has the same structure and about the same volume.
package helmchart

import (
	"embed"
	"io/fs"
	"os"
	"path/filepath"

	"go.yaml.in/yaml/v3"

	"github.com/wurzel-dev/wurzel/pipeline"
)

//go:embed all:chart
var chartFS embed.FS

// Write writes the chart for the pipeline file into dir (created if missing).
func Write(dir, pipelineFile string) error {
	src, err := os.ReadFile(pipelineFile)
	if err != nil {
		return err
	}
	p, err := pipeline.Parse(src, pipelineFile)
	if err != nil {
		return err
	}
	err = fs.WalkDir(chartFS, "chart", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := chartFS.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel("chart", path)
		return writeFile(filepath.Join(dir, rel), data)
	})
	if err != nil {
		return err
	}
	vals, err := yaml.Marshal(Values(p))
	if err != nil {
		return err
	}
	if err := writeFile(filepath.Join(dir, "values.yaml"), vals); err != nil {
		return err
	}
	return writeFile(filepath.Join(dir, "pipeline.yaml"), src)
}

func writeFile(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}

// Values returns the chart's values for a pipeline: the steps as declared, in topological
// order, and the defaults of wurzel's packs.
func Values(p *pipeline.Pipeline) map[string]any {
	schedule := p.Spec.Schedule
	if schedule == "" {
		schedule = "0 3 * * *" // the CronWorkflow, DAG and CronJob need one, as wurzel's do
	}
	var steps []map[string]any
	for _, s := range p.Spec.Steps {
		m := map[string]any{"name": s.Name}
		if s.Type != nil {
			m["class"] = s.Type.Name
		} else {
			m["command"] = s.Command
		}
		if len(s.DependsOn) > 0 {
			m["dependsOn"] = s.DependsOn
		}
		if len(s.Settings) > 0 {
			m["settings"] = s.Settings
		}
		if len(s.Secrets) > 0 {
			sec := map[string]any{}
			for k, ref := range s.Secrets {
				sec[k] = map[string]string{"name": ref.Name, "key": ref.Key}
			}
			m["secrets"] = sec
		}
		if s.HasRetries {
			m["retries"] = s.Retries
		}
		if s.Timeout > 0 {
			m["timeoutSeconds"] = int(s.Timeout.Seconds())
		}
		steps = append(steps, m)
	}
	labels := map[string]string{}
	for k, v := range p.Metadata.Labels {
		labels[k] = v
	}
	resources := map[string]any{"cpu_request": "100m", "memory_request": "128Mi", "memory_limit": "512Mi"}
	return map[string]any{
		"image": "ghcr.io/wurzel-dev/wurzel:latest",
		"pipeline": map[string]any{
			"name": p.Metadata.Name, "schedule": schedule, "timezone": p.Spec.Timezone,
			"labels": labels, "steps": steps,
		},
		"argo": map[string]any{
			"namespace": "argo-workflows", "serviceAccountName": "wurzel-service-account",
			"entrypoint": "wurzel-pipeline", "concurrencyPolicy": "Forbid", "dataDir": "/usr/app",
			"podSecurityContext": map[string]any{
				"runAsNonRoot": true, "allowPrivilegeEscalation": false,
				"dropCapabilities": []string{"ALL"}, "seccompProfileType": "RuntimeDefault",
			},
			"retryStrategy": map[string]any{"limit": 4, "retryPolicy": "OnError"},
			"artifacts":     map[string]any{"bucket": "wurzel-bucket", "endpoint": "s3.amazonaws.com", "insecure": false},
			"container":     map[string]any{"resources": resources},
		},
		"github": map[string]any{
			"runsOn": []string{"ubuntu-latest"}, "timeoutMinutes": 60, "setupMinutes": 10,
			"dataDir": "data", "retentionDays": 7,
			"actions": map[string]string{
				"checkout": "actions/checkout@v4", "setupGo": "actions/setup-go@v5",
				"downloadArtifact": "actions/download-artifact@v4", "uploadArtifact": "actions/upload-artifact@v4",
			},
		},
		"gitlab":  map[string]any{"image": "ghcr.io/wurzel-dev/wurzel:latest-shell", "dataDir": "data", "expireIn": "1 week"},
		"dvc":     map[string]any{"dataDir": "data"},
		"airflow": map[string]any{"dataDir": "/usr/app", "resources": resources},
		"cronjob": map[string]any{"storage": "10Gi", "resources": resources},
	}
}
