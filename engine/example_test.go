package engine_test

import (
	"context"
	"fmt"
	"strings"
	"testing/fstest"

	"github.com/wurzel-dev/wurzel/engine"
	"github.com/wurzel-dev/wurzel/pipeline"
)

func ExampleRender() {
	pack := fstest.MapFS{
		"shell/pack.yaml":   {Data: []byte("name: shell\noutputs:\n  - {template: run.sh.tmpl, path: run.sh, format: shell, mode: '0755'}\n")},
		"shell/values.yaml": {Data: []byte("shell:\n  interpreter: /bin/sh\n")},
		"shell/run.sh.tmpl": {Data: []byte("#!{{ .Values.shell.interpreter }}\n{{ range .Pipeline.Steps }}{{ shJoin .Argv }}\n{{ end }}")},
	}
	p, _ := pipeline.Parse([]byte(`apiVersion: wurzel.dev/v1alpha1
kind: Pipeline
metadata: {name: demo}
spec:
  steps:
    - {name: hello, command: [echo, "it's me"], settings: {GREETING: hi there}}
`), "pipeline.yaml")
	lib, _ := engine.Load(pack)
	res, err := (&engine.Job{Pipeline: p, Library: lib, Backends: []string{"shell"}, Version: "dev"}).Run(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	body := string(res.Files[0].Body)
	fmt.Print(body[strings.Index(body, "#!"):])
	// Output:
	// #!/bin/sh
	// wurzel run -o data/hello --env-prefix HELLO --default 'GREETING=hi there' -- echo 'it'"'"'s me'
}
