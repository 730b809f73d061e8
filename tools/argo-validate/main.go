// Command argo-validate lints Argo Workflows manifests offline with Argo's own
// validation code, the way `argo lint --offline --strict` does, without
// building the whole Argo CLI.
//
// Usage:
//
//	argo-validate PATH...
//
// Each PATH is a .yaml, .yml or .json file, or a directory searched
// recursively for such files. Every document of kind Workflow, CronWorkflow,
// WorkflowTemplate or ClusterWorkflowTemplate is decoded strictly (unknown
// fields are errors) and validated in lint mode. WorkflowTemplates and
// ClusterWorkflowTemplates found in any PATH resolve templateRef and
// workflowTemplateRef, as with `argo lint --offline`. Documents of other
// kinds are ignored.
//
// Each finding is printed as `FILE: in "NAME" (KIND): MESSAGE`. The exit
// status is 0 when every linted document is valid, 1 when a document is
// invalid or nothing could be linted, and 2 on a usage or I/O error.
package main

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"

	wf "github.com/argoproj/argo-workflows/v3/pkg/apis/workflow"
	wfv1 "github.com/argoproj/argo-workflows/v3/pkg/apis/workflow/v1alpha1"
	"github.com/argoproj/argo-workflows/v3/workflow/common"
	"github.com/argoproj/argo-workflows/v3/workflow/templateresolution"
	"github.com/argoproj/argo-workflows/v3/workflow/validate"
	log "github.com/sirupsen/logrus"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	log.SetOutput(stderr)
	log.SetLevel(log.WarnLevel)
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprintln(stderr, "usage: argo-validate PATH...")
		return 2
	}
	files, err := manifests(args)
	if err != nil {
		fmt.Fprintf(stderr, "argo-validate: %v\n", err)
		return 2
	}
	data := make(map[string][]byte, len(files))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			fmt.Fprintf(stderr, "argo-validate: %v\n", err)
			return 2
		}
		data[f] = b
	}
	ref, err := collectTemplates(files, data)
	if err != nil {
		fmt.Fprintf(stderr, "argo-validate: %v\n", err)
		return 1
	}
	linted, failed := 0, 0
	for _, f := range files {
		n, errs := lintFile(ref, data[f])
		linted += n
		for _, e := range errs {
			fmt.Fprintf(stdout, "%s: %s\n", f, e)
			failed++
		}
	}
	switch {
	case linted == 0:
		fmt.Fprintln(stdout, "found nothing to lint in the specified paths, failing...")
		return 1
	case failed > 0:
		return 1
	}
	fmt.Fprintln(stdout, "no linting errors found!")
	return 0
}

// manifests expands the arguments into a sorted list of manifest files.
func manifests(args []string) ([]string, error) {
	var out []string
	for _, a := range args {
		err := filepath.WalkDir(a, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				return nil
			}
			switch filepath.Ext(p) {
			case ".yaml", ".yml", ".json":
				out = append(out, p)
			default:
				if p == a { // named explicitly: lint it whatever its extension
					out = append(out, p)
				}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	sort.Strings(out)
	return out, nil
}

// templates resolves workflowTemplateRef and templateRef from the given files.
type templates struct {
	namespaced map[string]map[string]*wfv1.WorkflowTemplate // namespace → name
	cluster    map[string]*wfv1.ClusterWorkflowTemplate
}

func collectTemplates(files []string, data map[string][]byte) (*templates, error) {
	t := &templates{
		namespaced: map[string]map[string]*wfv1.WorkflowTemplate{},
		cluster:    map[string]*wfv1.ClusterWorkflowTemplate{},
	}
	for _, f := range files {
		for _, pr := range common.ParseObjects(data[f], false) {
			if pr.Object == nil || pr.Err != nil {
				continue // decoding errors are reported when the file is linted
			}
			name := pr.Object.GetName()
			switch v := pr.Object.(type) {
			case *wfv1.ClusterWorkflowTemplate:
				if _, dup := t.cluster[name]; dup {
					return nil, fmt.Errorf("%s: duplicate ClusterWorkflowTemplate found: %q", f, name)
				}
				t.cluster[name] = v
			case *wfv1.WorkflowTemplate:
				ns := v.GetNamespace()
				if t.namespaced[ns] == nil {
					t.namespaced[ns] = map[string]*wfv1.WorkflowTemplate{}
				}
				if _, dup := t.namespaced[ns][name]; dup {
					return nil, fmt.Errorf("%s: duplicate WorkflowTemplate found: %q", f, name)
				}
				t.namespaced[ns][name] = v
			}
		}
	}
	return t, nil
}

type namespaceGetter struct {
	namespace string
	byName    map[string]*wfv1.WorkflowTemplate
}

func (g namespaceGetter) Get(name string) (*wfv1.WorkflowTemplate, error) {
	if v, ok := g.byName[name]; ok {
		return v, nil
	}
	return nil, fmt.Errorf("couldn't find workflow template %q in namespace %q", name, g.namespace)
}

type clusterGetter map[string]*wfv1.ClusterWorkflowTemplate

func (g clusterGetter) Get(name string) (*wfv1.ClusterWorkflowTemplate, error) {
	if v, ok := g[name]; ok {
		return v, nil
	}
	return nil, fmt.Errorf("couldn't find cluster workflow template %q", name)
}

func (t *templates) namespace(ns string) templateresolution.WorkflowTemplateNamespacedGetter {
	return namespaceGetter{namespace: ns, byName: t.namespaced[ns]}
}

// lintFile validates every Argo document of one file. It returns how many
// documents it linted and the errors found.
func lintFile(t *templates, data []byte) (int, []error) {
	ctx := context.Background()
	opts := validate.ValidateOpts{Lint: true}
	cluster := clusterGetter(t.cluster)
	linted := 0
	var errs []error
	for i, pr := range common.ParseObjects(data, true) {
		obj, err := pr.Object, pr.Err
		if obj == nil {
			if err != nil {
				errs = append(errs, fmt.Errorf("document %d: %w", i+1, err))
			}
			continue
		}
		ns := obj.GetNamespace()
		var kind string
		switch v := obj.(type) {
		case *wfv1.Workflow:
			kind = wf.WorkflowKind
			if err == nil {
				err = validate.ValidateWorkflow(t.namespace(ns), cluster, v, nil, opts)
			}
		case *wfv1.CronWorkflow:
			kind = wf.CronWorkflowKind
			if err == nil {
				err = validate.ValidateCronWorkflow(ctx, t.namespace(ns), cluster, v, nil)
			}
		case *wfv1.WorkflowTemplate:
			kind = wf.WorkflowTemplateKind
			if err == nil {
				err = validate.ValidateWorkflowTemplate(t.namespace(ns), cluster, v, nil, opts)
			}
		case *wfv1.ClusterWorkflowTemplate:
			kind = wf.ClusterWorkflowTemplateKind
			if err == nil {
				err = validate.ValidateClusterWorkflowTemplate(nil, cluster, v, nil, opts)
			}
		default:
			continue // not an Argo resource we lint
		}
		linted++
		if err != nil {
			errs = append(errs, fmt.Errorf("in %s: %w", objectName(kind, obj, i), err))
		}
	}
	return linted, errs
}

func objectName(kind string, obj metav1.Object, i int) string {
	name := obj.GetName()
	if name == "" {
		name = obj.GetGenerateName()
	}
	if name == "" {
		name = fmt.Sprintf("object #%d", i+1)
	}
	return fmt.Sprintf("%q (%s)", name, kind)
}
