package image

import (
	"archive/tar"
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/validate"

	"github.com/wurzel-dev/wurzel/build/internal/source"
)

var commitTime = time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)

func spec(version string, shell bool) Spec {
	s := Spec{
		Repository: DefaultRepository,
		Source:     source.Info{Version: version, Commit: strings.Repeat("ab", 20), Time: commitTime},
		GoVersion:  "go1.26.8",
		Shell:      "busybox-static 1:1.35.0 (Debian 12)",
	}
	for _, arch := range []string{"amd64", "arm64"} {
		p := Platform{Platform: source.Platform{OS: "linux", Arch: arch}, Wurzel: []byte("wurzel for " + arch)}
		if shell {
			p.Busybox = []byte("busybox for " + arch)
		}
		s.Platforms = append(s.Platforms, p)
	}
	return s
}

func TestBuildIsReproducible(t *testing.T) {
	dirs := []string{filepath.Join(t.TempDir(), "a"), filepath.Join(t.TempDir(), "b")}
	for _, dir := range dirs {
		r, err := Build(spec("v1.2.3", true))
		if err != nil {
			t.Fatal(err)
		}
		if err := WriteLayout(dir, r); err != nil {
			t.Fatal(err)
		}
	}
	a, b := readTree(t, dirs[0]), readTree(t, dirs[1])
	if len(a) < 10 {
		t.Fatalf("the layout holds only %d files", len(a))
	}
	for name, data := range a {
		if !bytes.Equal(data, b[name]) {
			t.Errorf("%s differs between two builds", name)
		}
	}
	if len(a) != len(b) {
		t.Errorf("two builds wrote %d and %d files", len(a), len(b))
	}

	// A change of input changes the digest.
	r1, _ := Build(spec("v1.2.3", false))
	s := spec("v1.2.3", false)
	s.Source.Time = s.Source.Time.Add(time.Second)
	r2, _ := Build(s)
	d1, _ := r1.Base.Digest()
	d2, _ := r2.Base.Digest()
	if d1 == d2 {
		t.Error("another commit time gives the same digest")
	}
}

func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		files[rel] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestLayout(t *testing.T) {
	tests := []struct {
		version, base, shell string
	}{
		{"v1.2.3", "v1.2.3", "v1.2.3-shell"},
		{"dev", "latest", "latest-shell"},
	}
	for _, tt := range tests {
		t.Run(tt.version, func(t *testing.T) {
			r, err := Build(spec(tt.version, true))
			if err != nil {
				t.Fatal(err)
			}
			dir := filepath.Join(t.TempDir(), "layout")
			if err := WriteLayout(dir, r); err != nil {
				t.Fatal(err)
			}
			idx, err := layout.ImageIndexFromPath(dir)
			if err != nil {
				t.Fatal(err)
			}
			m, err := idx.IndexManifest()
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, d := range m.Manifests {
				got = append(got, d.Annotations[RefNameAnnotation]+" "+d.Annotations[ImageNameAnnotation]+" "+string(d.MediaType))
				child, err := idx.ImageIndex(d.Digest)
				if err != nil {
					t.Fatal(err)
				}
				if err := validate.Index(child); err != nil {
					t.Errorf("%s: %v", d.Annotations[RefNameAnnotation], err)
				}
			}
			want := []string{
				tt.base + " ghcr.io/wurzel-dev/wurzel:" + tt.base + " application/vnd.oci.image.index.v1+json",
				tt.shell + " ghcr.io/wurzel-dev/wurzel:" + tt.shell + " application/vnd.oci.image.index.v1+json",
			}
			if !slices.Equal(got, want) {
				t.Errorf("index.json:\n got %q\nwant %q", got, want)
			}
			if err := WriteLayout(dir, r); err == nil || !strings.Contains(err.Error(), "already exists") {
				t.Errorf("writing into an existing folder: %v", err)
			}
		})
	}
}

func TestImageConfig(t *testing.T) {
	r, err := Build(spec("v1.2.3", true))
	if err != nil {
		t.Fatal(err)
	}
	base := platformImage(t, r.Base, "arm64")
	shell := platformImage(t, r.Shell, "arm64")
	for _, tt := range []struct {
		name   string
		img    v1.Image
		layers int
	}{{"base", base, 2}, {"shell", shell, 3}} {
		cf, err := tt.img.ConfigFile()
		if err != nil {
			t.Fatal(err)
		}
		c := cf.Config
		if c.User != "65532:65532" || !slices.Equal(c.Entrypoint, []string{"/usr/local/bin/wurzel"}) || len(c.Cmd) != 0 ||
			c.WorkingDir != "/data" || !slices.Equal(c.Env, []string{"PATH=/usr/local/bin:/usr/bin:/bin"}) {
			t.Errorf("%s config: %+v", tt.name, c)
		}
		if cf.OS != "linux" || cf.Architecture != "arm64" || !cf.Created.Time.Equal(commitTime) {
			t.Errorf("%s: %s/%s created %s", tt.name, cf.OS, cf.Architecture, cf.Created)
		}
		for k, v := range map[string]string{
			"org.opencontainers.image.version":  "v1.2.3",
			"org.opencontainers.image.revision": strings.Repeat("ab", 20),
			"org.opencontainers.image.created":  "2026-11-01T12:00:00Z",
			"org.opencontainers.image.source":   "https://github.com/wurzel-dev/wurzel",
			"dev.wurzel.go-version":             "go1.26.8",
		} {
			if c.Labels[k] != v {
				t.Errorf("%s label %s = %q, want %q", tt.name, k, c.Labels[k], v)
			}
		}
		layers, _ := tt.img.Layers()
		if len(layers) != tt.layers || len(cf.History) != tt.layers {
			t.Errorf("%s: %d layers and %d history entries, want %d", tt.name, len(layers), len(cf.History), tt.layers)
		}
	}
	// The shell variant adds one layer to the base image's, so registries store those once.
	bl, _ := base.Layers()
	sl, _ := shell.Layers()
	for i := range bl {
		bd, _ := bl[i].Digest()
		sd, _ := sl[i].Digest()
		if bd != sd {
			t.Errorf("layer %d: base %s, shell %s", i, bd, sd)
		}
	}
}

func platformImage(t *testing.T, idx v1.ImageIndex, arch string) v1.Image {
	t.Helper()
	m, err := idx.IndexManifest()
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range m.Manifests {
		if d.Platform.Architecture == arch {
			img, err := idx.Image(d.Digest)
			if err != nil {
				t.Fatal(err)
			}
			return img
		}
	}
	t.Fatalf("no %s image", arch)
	return nil
}

// entry is a tar header in short.
type entry struct {
	name     string
	typ      byte
	mode     int64
	uid, gid int
	link     string
}

func layerEntries(t *testing.T, l v1.Layer) []entry {
	t.Helper()
	rc, err := l.Uncompressed()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	var out []entry
	tr := tar.NewReader(rc)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, entry{h.Name, h.Typeflag, h.Mode, h.Uid, h.Gid, h.Linkname})
	}
}

func TestLayers(t *testing.T) {
	r, err := Build(spec("v1.2.3", true))
	if err != nil {
		t.Fatal(err)
	}
	layers, err := platformImage(t, r.Shell, "amd64").Layers()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]entry{{
		{"data/", tar.TypeDir, 0o755, 65532, 65532, ""},
		{"etc/", tar.TypeDir, 0o755, 0, 0, ""},
		{"etc/group", tar.TypeReg, 0o644, 0, 0, ""},
		{"etc/nsswitch.conf", tar.TypeReg, 0o644, 0, 0, ""},
		{"etc/passwd", tar.TypeReg, 0o644, 0, 0, ""},
		{"etc/ssl/", tar.TypeDir, 0o755, 0, 0, ""},
		{"etc/ssl/certs/", tar.TypeDir, 0o755, 0, 0, ""},
		{"etc/ssl/certs/ca-certificates.crt", tar.TypeReg, 0o644, 0, 0, ""},
		{"home/", tar.TypeDir, 0o755, 0, 0, ""},
		{"home/nonroot/", tar.TypeDir, 0o700, 65532, 65532, ""},
		{"root/", tar.TypeDir, 0o700, 0, 0, ""},
		{"tmp/", tar.TypeDir, 0o1777, 0, 0, ""},
	}, {
		{"usr/", tar.TypeDir, 0o755, 0, 0, ""},
		{"usr/local/", tar.TypeDir, 0o755, 0, 0, ""},
		{"usr/local/bin/", tar.TypeDir, 0o755, 0, 0, ""},
		{"usr/local/bin/wurzel", tar.TypeReg, 0o755, 0, 0, ""},
	}}
	shell := []entry{{"bin/", tar.TypeDir, 0o755, 0, 0, ""}}
	for _, a := range Applets {
		shell = append(shell, entry{"bin/" + a, tar.TypeSymlink, 0o777, 0, 0, "busybox"})
	}
	shell = append(shell, entry{"bin/busybox", tar.TypeReg, 0o755, 0, 0, ""})
	slices.SortFunc(shell, func(a, b entry) int { return strings.Compare(a.name, b.name) })
	want = append(want, shell)
	if len(layers) != len(want) {
		t.Fatalf("%d layers, want %d", len(layers), len(want))
	}
	for i, l := range layers {
		if got := layerEntries(t, l); !slices.Equal(got, want[i]) {
			t.Errorf("layer %d:\n got %v\nwant %v", i, got, want[i])
		}
	}
}

func TestBaseFiles(t *testing.T) {
	files, err := baseFiles()
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]string{}
	for _, f := range files {
		byName[f.Name] = string(f.Body)
	}
	if want := "root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n"; byName["etc/passwd"] != want {
		t.Errorf("/etc/passwd = %q, want %q", byName["etc/passwd"], want)
	}
	if want := "root:x:0:\nnonroot:x:65532:\n"; byName["etc/group"] != want {
		t.Errorf("/etc/group = %q, want %q", byName["etc/group"], want)
	}
	rest := []byte(byName["etc/ssl/certs/ca-certificates.crt"])
	pool := x509.NewCertPool()
	n := 0
	for {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			break
		}
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			t.Fatalf("certificate %d: %v", n, err)
		}
		if !c.IsCA {
			t.Errorf("certificate %s is no CA", c.Subject)
		}
		pool.AddCert(c)
		n++
	}
	if n < 100 {
		t.Errorf("%d CA certificates, want Mozilla's 100 and more", n)
	}
}

func TestBuildErrors(t *testing.T) {
	some := spec("v1.2.3", true)
	some.Platforms[1].Busybox = nil
	first := spec("v1.2.3", true)
	first.Platforms[0].Busybox = nil
	empty := spec("v1.2.3", false)
	empty.Platforms[0].Wurzel = nil
	tagged := spec("v1.2.3", false)
	tagged.Repository = "ghcr.io/wurzel-dev/wurzel:v1"
	none := spec("v1.2.3", false)
	none.Platforms = nil
	tests := []struct {
		name string
		spec Spec
		want string
	}{
		{"busybox for the first platform only", first, "platform linux/arm64: busybox given, but linux/amd64 has none: give busybox for every platform (the -shell variant), or for none"},
		{"busybox for some platforms", some, "platform linux/arm64: no busybox, but linux/amd64 has one: give busybox for every platform (the -shell variant), or for none"},
		{"empty binary", empty, "platform linux/amd64: the wurzel binary is empty"},
		{"tagged repository", tagged, `repository "ghcr.io/wurzel-dev/wurzel:v1": want a name without tag or digest, such as ghcr.io/wurzel-dev/wurzel`},
		{"no platform", none, "building images: no platform given"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Build(tt.spec); err == nil || err.Error() != tt.want {
				t.Errorf("got %v, want %q", err, tt.want)
			}
		})
	}
	// A registry with a port is a repository without tag.
	port := spec("v1.2.3", false)
	port.Repository = "localhost:5000/wurzel"
	if _, err := Build(port); err != nil {
		t.Errorf("repository with a port: %v", err)
	}
}

func TestWriteRootfs(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to give the files their owners")
	}
	entries, err := Entries([]byte("wurzel"), []byte("busybox"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := WriteRootfs(dir, entries); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		path string
		mode os.FileMode
		uid  int
	}{
		{"data", os.ModeDir | 0o755, 65532},
		{"tmp", os.ModeDir | os.ModeSticky | 0o777, 0},
		{"usr/local/bin/wurzel", 0o755, 0},
		{"bin/sh", os.ModeSymlink | 0o777, 0},
	} {
		info, err := os.Lstat(filepath.Join(dir, tt.path))
		if err != nil {
			t.Fatal(err)
		}
		if info.Mode() != tt.mode || ownerOf(info) != tt.uid {
			t.Errorf("%s: mode %s owner %d, want %s owned by %d", tt.path, info.Mode(), ownerOf(info), tt.mode, tt.uid)
		}
	}
}
