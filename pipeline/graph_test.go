package pipeline

import "testing"

func TestGraph(t *testing.T) {
	p, err := Parse([]byte(header+`spec:
  steps:
    - {name: src, class: TstSourceStep, settings: {FOLDER_PATH: x}}
    - {name: a.b, command: [x], dependsOn: [src]}
    - {name: c, command: [x], dependsOn: [src, a.b], settings: {A: "1", B: "2"}}
`), "p.yaml")
	if err != nil {
		t.Fatal(err)
	}
	wantMermaid := `flowchart LR
  s0["src<br/>TstSourceStep<br/>1 setting"]
  s1["a.b<br/>command<br/>0 settings"]
  s2["c<br/>command<br/>2 settings"]
  s0 --> s1
  s0 --> s2
  s1 --> s2
`
	if got := p.Mermaid(); got != wantMermaid {
		t.Errorf("mermaid:\n%s\nwant:\n%s", got, wantMermaid)
	}
	wantDot := `digraph "demo" {
  rankdir=LR;
  node [shape=box];
  "src" [label="src\nTstSourceStep\n1 setting"];
  "a.b" [label="a.b\ncommand\n0 settings"];
  "c" [label="c\ncommand\n2 settings"];
  "src" -> "a.b";
  "src" -> "c";
  "a.b" -> "c";
}
`
	if got := p.Dot(); got != wantDot {
		t.Errorf("dot:\n%s\nwant:\n%s", got, wantDot)
	}
}
