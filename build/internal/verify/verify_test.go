package verify

import (
	"archive/tar"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/types"
	"go.yaml.in/yaml/v3"

	"github.com/wurzel-dev/wurzel/build/internal/image"
	"github.com/wurzel-dev/wurzel/build/internal/source"
)

func TestNumericUser(t *testing.T) {
	tests := []struct {
		user     string
		uid, gid int
		err      string
	}{
		{"65532:65532", 65532, 65532, ""},
		{"1000:0", 1000, 0, ""},
		{"0:0", 0, 0, `user "0:0" is root`},
		{"nonroot:nonroot", 0, 0, `user "nonroot:nonroot": want numeric UID:GID, so that Kubernetes' runAsNonRoot can check it`},
		{"65532", 0, 0, `user "65532": want numeric UID:GID, so that Kubernetes' runAsNonRoot can check it`},
		{"", 0, 0, `user "": want numeric UID:GID, so that Kubernetes' runAsNonRoot can check it`},
	}
	for _, tt := range tests {
		uid, gid, err := numericUser(tt.user)
		if tt.err == "" && (err != nil || uid != tt.uid || gid != tt.gid) {
			t.Errorf("numericUser(%q) = %d, %d, %v", tt.user, uid, gid, err)
		}
		if tt.err != "" && (err == nil || err.Error() != tt.err) {
			t.Errorf("numericUser(%q) error %v, want %q", tt.user, err, tt.err)
		}
	}
}

// goBinary compiles a small Go program with CGO_ENABLED as given.
func goBinary(t *testing.T, cgo string) []byte {
	t.Helper()
	dir := t.TempDir()
	src := "package main\n\nimport \"os/user\"\n\nfunc main() { _, _ = user.Current() }\n"
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", "build", "-o", "prog", "main.go")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CGO_ENABLED="+cgo, "GO111MODULE=off", "GOFLAGS=")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Skipf("cannot build a test program (CGO_ENABLED=%s): %v\n%s", cgo, err, out)
	}
	data, err := os.ReadFile(filepath.Join(dir, "prog"))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestCheckStatic(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("builds linux programs")
	}
	static := goBinary(t, "0")
	if err := checkStatic("prog", static, runtime.GOARCH); err != nil {
		t.Errorf("static program: %v", err)
	}
	other := "arm64"
	if runtime.GOARCH == "arm64" {
		other = "amd64"
	}
	if err := checkStatic("prog", static, other); err == nil || !strings.Contains(err.Error(), "prog: built for EM_") {
		t.Errorf("program of another architecture: %v", err)
	}
	// The rest of the message is debug/elf's.
	want := "wurzel: not an ELF executable: "
	if err := checkStatic("wurzel", []byte("#!/bin/sh\necho hi\n"), runtime.GOARCH); err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("script: %v, want %q...", err, want)
	}
	if _, err := exec.LookPath("gcc"); err != nil {
		return
	}
	dynamic := goBinary(t, "1")
	want = "prog: dynamically linked (it names a program interpreter): build it with CGO_ENABLED=0"
	if err := checkStatic("prog", dynamic, runtime.GOARCH); err == nil || err.Error() != want {
		t.Errorf("cgo program: %v, want %q", err, want)
	}
}

var info = source.Info{Version: "v1.2.3", Commit: strings.Repeat("ab", 20), Time: time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)}

// writeLayout builds the images of info with fake binaries, lets change alter each image,
// and writes them as a layout.
func writeLayout(t *testing.T, wurzel []byte, change func(v1.Image) v1.Image) string {
	t.Helper()
	s := image.Spec{Repository: image.DefaultRepository, Source: info, GoVersion: "go1.26.8", Shell: "busybox"}
	for _, arch := range []string{"amd64", "arm64"} {
		s.Platforms = append(s.Platforms, image.Platform{Platform: source.Platform{OS: "linux", Arch: arch}, Wurzel: wurzel, Busybox: []byte("busybox")})
	}
	r, err := image.Build(s)
	if err != nil {
		t.Fatal(err)
	}
	if change != nil {
		for _, idx := range []*v1.ImageIndex{&r.Base, &r.Shell} {
			m, err := (*idx).IndexManifest()
			if err != nil {
				t.Fatal(err)
			}
			out := mutate.IndexMediaType(empty.Index, types.OCIImageIndex)
			for _, d := range m.Manifests {
				img, err := (*idx).Image(d.Digest)
				if err != nil {
					t.Fatal(err)
				}
				out = mutate.AppendManifests(out, mutate.IndexAddendum{Add: change(img), Descriptor: v1.Descriptor{Platform: d.Platform}})
			}
			*idx = mutate.Annotations(out, m.Annotations).(v1.ImageIndex)
		}
	}
	dir := filepath.Join(t.TempDir(), "layout")
	if err := image.WriteLayout(dir, r); err != nil {
		t.Fatal(err)
	}
	return dir
}

func withUser(user string) func(v1.Image) v1.Image {
	return func(img v1.Image) v1.Image {
		cf, _ := img.ConfigFile()
		cf = cf.DeepCopy()
		cf.Config.User = user
		out, _ := mutate.ConfigFile(img, cf)
		return out
	}
}

func TestRunFindsFaults(t *testing.T) {
	script := []byte("#!/bin/sh\n")
	other := info
	other.Commit = strings.Repeat("cd", 20)
	tagged := info
	tagged.Version = "v9.9.9"
	tests := []struct {
		name   string
		layout string
		expect source.Info
		want   string
	}{
		{"root user", writeLayout(t, script, withUser("0:0")), info,
			`ghcr.io/wurzel-dev/wurzel:v1.2.3: linux/amd64: config: user "0:0" is root`},
		{"user name", writeLayout(t, script, withUser("nonroot")), info,
			`ghcr.io/wurzel-dev/wurzel:v1.2.3: linux/amd64: config: user "nonroot": want numeric UID:GID, so that Kubernetes' runAsNonRoot can check it`},
		{"not a binary", writeLayout(t, script, nil), info,
			"ghcr.io/wurzel-dev/wurzel:v1.2.3: linux/amd64: /usr/local/bin/wurzel: not an ELF executable: EOF"},
		{"other commit", writeLayout(t, script, nil), other,
			`ghcr.io/wurzel-dev/wurzel:v1.2.3: index annotations: org.opencontainers.image.revision is "` + info.Commit + `", want "` + other.Commit + `"`},
		{"other version", writeLayout(t, script, nil), tagged,
			`index.json: no entry with org.opencontainers.image.ref.name "v9.9.9": build the images of version v9.9.9`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Run(context.Background(), Options{
				Layout: tt.layout, Repository: image.DefaultRepository, Expect: tt.expect,
				Work: t.TempDir(), RequireShell: true, Log: io.Discard,
			})
			if err == nil || err.Error() != tt.want {
				t.Errorf("got %v\nwant %s", err, tt.want)
			}
		})
	}
}

func TestRunOtherRepository(t *testing.T) {
	dir := writeLayout(t, []byte("x"), nil)
	_, err := Run(context.Background(), Options{Layout: dir, Repository: "example.com/wurzel", Expect: info, Work: t.TempDir(), Log: io.Discard})
	want := `index.json: tag v1.2.3 is named "ghcr.io/wurzel-dev/wurzel:v1.2.3", want "example.com/wurzel:v1.2.3"`
	if err == nil || err.Error() != want {
		t.Errorf("got %v, want %q", err, want)
	}
	if _, err := layout.FromPath(dir); err != nil {
		t.Fatal(err)
	}
}

func TestUser(t *testing.T) {
	ct := &container{uid: 65532, gid: 65532}
	n := func(i int) *int { return &i }
	yes := true
	tests := []struct {
		name     string
		pod, ctr *securityContext
		uid, gid int
		err      string
	}{
		{"image user", nil, nil, 65532, 65532, ""},
		{"pod user", &securityContext{RunAsUser: n(1000), RunAsGroup: n(1001)}, nil, 1000, 1001, ""},
		{"container wins", &securityContext{RunAsUser: n(1000)}, &securityContext{RunAsUser: n(2000)}, 2000, 65532, ""},
		{"non-root kept", &securityContext{RunAsNonRoot: &yes}, nil, 65532, 65532, ""},
		{"root refused", &securityContext{RunAsNonRoot: &yes}, &securityContext{RunAsUser: n(0)}, 0, 0, "runAsNonRoot is set and the container would run as root"},
	}
	for _, tt := range tests {
		uid, gid, err := user(ct, tt.pod, tt.ctr)
		if tt.err != "" {
			if err == nil || err.Error() != tt.err {
				t.Errorf("%s: error %v, want %q", tt.name, err, tt.err)
			}
			continue
		}
		if err != nil || uid != tt.uid || gid != tt.gid {
			t.Errorf("%s: %d:%d %v, want %d:%d", tt.name, uid, gid, err, tt.uid, tt.gid)
		}
	}
}

func TestPodEnv(t *testing.T) {
	got := podEnv([]envVar{
		{Name: "WURZEL_RUN_ID", Value: "{{workflow.uid}}"},
		{Name: "AIRFLOW_RUN", Value: "run-{{ run_id }}"},
		{Name: "PLAIN", Value: "a b"},
		{Name: "JOB", ValueFrom: map[string]any{"fieldRef": "x"}},
	})
	want := []string{"WURZEL_RUN_ID=verify-run", "AIRFLOW_RUN=run-verify-run", "PLAIN=a b", "JOB=verify-job"}
	if !slices.Equal(got, want) {
		t.Errorf("podEnv = %q, want %q", got, want)
	}
}

func TestGitlabVariable(t *testing.T) {
	ci := map[string]string{"CI_PIPELINE_ID": "7"}
	tests := []struct{ yaml, want string }{
		{`plain $CI_PIPELINE_ID`, "plain 7"},
		{`{value: "gitlab-$CI_PIPELINE_ID", expand: true}`, "gitlab-7"},
		{`{value: "gitlab-$CI_PIPELINE_ID", expand: false}`, "gitlab-$CI_PIPELINE_ID"},
		{`{value: "${CI_PIPELINE_ID}x"}`, "7x"},
	}
	for _, tt := range tests {
		var n yaml.Node
		if err := yaml.Unmarshal([]byte(tt.yaml), &n); err != nil {
			t.Fatal(err)
		}
		got, err := gitlabVariable(*n.Content[0], ci)
		if err != nil || got != tt.want {
			t.Errorf("gitlabVariable(%s) = %q, %v; want %q", tt.yaml, got, err, tt.want)
		}
	}
}

func TestReadOnly(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to change owners")
	}
	root := t.TempDir()
	files := map[string]fileInfo{
		"/data":             {Type: tar.TypeDir, Mode: 0o755, UID: 65532, GID: 65532},
		"/tmp":              {Type: tar.TypeDir, Mode: 0o1777},
		"/etc/passwd":       {Type: tar.TypeReg, Mode: 0o644, Body: []byte("nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n")},
		"/usr/local/bin/wz": {Type: tar.TypeReg, Mode: 0o755, Body: []byte("x")},
		"/bin/sh":           {Type: tar.TypeSymlink, Linkname: "busybox"},
	}
	if err := unpack(files, root); err != nil {
		t.Fatal(err)
	}
	ct := &container{root: root, uid: 65532, gid: 65532}
	if err := ct.readOnly("/usr/app"); err != nil {
		t.Fatal(err)
	}
	err := filepath.Walk(root, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		writable := info.Mode()&0o022 != 0 && info.Mode()&os.ModeSymlink == 0
		owner := ownerOf(info)
		if rel == "usr/app" {
			if owner != 65532 {
				t.Errorf("the mount /usr/app is owned by %d, want 65532", owner)
			}
			return nil
		}
		if owner != 0 || writable {
			t.Errorf("/%s: owner %d mode %s: want root-owned and writable by root only", rel, owner, info.Mode())
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := ct.home(); got != "/home/nonroot" {
		t.Errorf("home = %q, want /home/nonroot", got)
	}
	if p, err := ct.lookPath("wz", []string{"PATH=/bin:/usr/local/bin"}); err != nil || p != "/usr/local/bin/wz" {
		t.Errorf("lookPath(wz) = %q, %v", p, err)
	}
	want := "sh: not found on the container's PATH /bin:/usr/local/bin"
	if _, err := ct.lookPath("sh", []string{"PATH=/bin:/usr/local/bin"}); err == nil || err.Error() != want {
		t.Errorf("lookPath(sh) with a dangling link: %v, want %q", err, want)
	}
}
