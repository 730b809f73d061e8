// Package verify checks an OCI image layout written by package image the way the rendered
// workflows will use it: the layout and every digest are valid; each image's config names a
// numeric non-root user, the entrypoint, the working folder and the labels of the commit it
// was built from; the filesystem holds a static wurzel binary, the CA certificates and no
// shell (the -shell variant: a static busybox); and, for the platform of this machine, the
// binary runs from the unpacked image as the image's user: `wurzel version`, then the example
// pipeline rendered by that binary and run with exactly the commands that the Argo,
// Kubernetes CronJob, Airflow and GitLab CI packs render, each in a fresh copy of the image.
package verify

import (
	"archive/tar"
	"context"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/validate"

	"github.com/wurzel-dev/wurzel/build/internal/image"
	"github.com/wurzel-dev/wurzel/build/internal/source"
)

// Options say what to verify.
type Options struct {
	// Layout is the OCI image layout folder.
	Layout string
	// Repository is the image name the packs should render, such as ghcr.io/wurzel-dev/wurzel.
	Repository string
	// Expect is the commit the images were built from.
	Expect source.Info
	// Project is a folder holding the commit's files (an export); the example is read from it.
	Project string
	// Example is the example pipeline's folder relative to Project.
	Example string
	// Work is an empty scratch folder.
	Work string
	// RequireShell fails when the layout has no -shell variant.
	RequireShell bool
	// Log receives one line per check.
	Log io.Writer
}

type checker struct {
	Options
	ctx    context.Context
	checks int
}

func (c *checker) ok(format string, args ...any) {
	c.checks++
	fmt.Fprintf(c.Log, "  ok  "+format+"\n", args...)
}

func (c *checker) note(format string, args ...any) {
	fmt.Fprintf(c.Log, "  --  "+format+"\n", args...)
}

// variant is one tag of the layout, with the images of each platform.
type variant struct {
	tag, name string
	shell     bool
	images    map[string]v1.Image // by platform
	host      map[string]fileInfo // files of the image for this machine's platform
	hostCfg   v1.Config
}

// Run verifies the layout and returns the number of checks that passed.
func Run(ctx context.Context, o Options) (int, error) {
	c := &checker{Options: o, ctx: ctx}
	if err := c.run(); err != nil {
		return c.checks, err
	}
	return c.checks, nil
}

func (c *checker) run() error {
	root, err := layout.ImageIndexFromPath(c.Layout)
	if err != nil {
		return fmt.Errorf("opening the image layout %s: %w", c.Layout, err)
	}
	im, err := root.IndexManifest()
	if err != nil {
		return fmt.Errorf("reading %s: %w", filepath.Join(c.Layout, "index.json"), err)
	}
	baseTag := source.ImageTag(c.Expect.Version)
	want := []*variant{{tag: baseTag, name: c.Repository + ":" + baseTag}, {tag: baseTag + "-shell", name: c.Repository + ":" + baseTag + "-shell", shell: true}}
	var variants []*variant
	for _, v := range want {
		var found *v1.Descriptor
		for i, d := range im.Manifests {
			if d.Annotations[image.RefNameAnnotation] == v.tag {
				found = &im.Manifests[i]
			}
		}
		if found == nil {
			if v.shell && !c.RequireShell {
				c.note("no %s in the layout (built without busybox)", v.tag)
				continue
			}
			return fmt.Errorf("index.json: no entry with %s %q: build the images of version %s", image.RefNameAnnotation, v.tag, c.Expect.Version)
		}
		if got := found.Annotations[image.ImageNameAnnotation]; got != v.name {
			return fmt.Errorf("index.json: tag %s is named %q, want %q", v.tag, got, v.name)
		}
		if err := c.checkIndex(root, *found, v); err != nil {
			return fmt.Errorf("%s: %w", v.name, err)
		}
		variants = append(variants, v)
	}
	if len(im.Manifests) != len(variants) {
		return fmt.Errorf("index.json lists %d entries, want %d (%s)", len(im.Manifests), len(variants), c.Repository)
	}

	host := runtime.GOOS + "/" + runtime.GOARCH
	for _, v := range variants {
		if v.host == nil {
			c.note("%s has no %s image: nothing is run", v.name, host)
			return nil
		}
	}
	if os.Geteuid() != 0 {
		return c.runUnprivileged(variants[0])
	}
	return c.runScenarios(variants)
}

// checkIndex validates one tag's image index and each platform's image.
func (c *checker) checkIndex(root v1.ImageIndex, d v1.Descriptor, v *variant) error {
	idx, err := root.ImageIndex(d.Digest)
	if err != nil {
		return fmt.Errorf("reading the image index %s: %w", d.Digest, err)
	}
	if err := validate.Index(idx); err != nil {
		return fmt.Errorf("validating the image index and every blob: %w", err)
	}
	c.ok("%s: index %s and every manifest, config and layer digest valid", v.name, d.Digest)
	m, err := idx.IndexManifest()
	if err != nil {
		return err
	}
	if err := c.checkLabels("index annotations", m.Annotations); err != nil {
		return err
	}
	v.images = map[string]v1.Image{}
	for _, md := range m.Manifests {
		if md.Platform == nil {
			return fmt.Errorf("manifest %s names no platform", md.Digest)
		}
		plat := md.Platform.OS + "/" + md.Platform.Architecture
		img, err := idx.Image(md.Digest)
		if err != nil {
			return err
		}
		if err := c.checkImage(img, md, v); err != nil {
			return fmt.Errorf("%s: %w", plat, err)
		}
		v.images[plat] = img
	}
	return nil
}

func (c *checker) checkLabels(what string, labels map[string]string) error {
	want := map[string]string{
		"org.opencontainers.image.version":  c.Expect.Version,
		"org.opencontainers.image.revision": c.Expect.Commit,
		"org.opencontainers.image.created":  c.Expect.Date(),
	}
	for _, k := range sortedKeys(want) {
		if labels[k] != want[k] {
			return fmt.Errorf("%s: %s is %q, want %q", what, k, labels[k], want[k])
		}
	}
	return nil
}

// checkImage checks one platform's config and filesystem.
func (c *checker) checkImage(img v1.Image, d v1.Descriptor, v *variant) error {
	cf, err := img.ConfigFile()
	if err != nil {
		return err
	}
	plat := d.Platform.OS + "/" + d.Platform.Architecture
	if cf.OS != d.Platform.OS || cf.Architecture != d.Platform.Architecture {
		return fmt.Errorf("config is for %s/%s, the index says %s", cf.OS, cf.Architecture, plat)
	}
	cfg := cf.Config
	uid, gid, err := numericUser(cfg.User)
	if err != nil {
		return fmt.Errorf("config: %w", err)
	}
	if !slices.Equal(cfg.Entrypoint, []string{image.BinaryPath}) || len(cfg.Cmd) != 0 {
		return fmt.Errorf("config: entrypoint %q, cmd %q; want entrypoint [%s] and no cmd", cfg.Entrypoint, cfg.Cmd, image.BinaryPath)
	}
	if cfg.WorkingDir != image.WorkingDir {
		return fmt.Errorf("config: working folder %q, want %s", cfg.WorkingDir, image.WorkingDir)
	}
	if !slices.Contains(cfg.Env, image.PathEnv) {
		return fmt.Errorf("config: environment %q lacks %s (the packs run \"wurzel\" through PATH)", cfg.Env, image.PathEnv)
	}
	if err := c.checkLabels("config labels", cfg.Labels); err != nil {
		return err
	}
	if !cf.Created.Time.Equal(c.Expect.Time) {
		return fmt.Errorf("config: created %s, want the commit time %s", cf.Created.Time.UTC().Format("2006-01-02T15:04:05Z"), c.Expect.Date())
	}
	c.ok("%s %s: user %d:%d (numeric, non-root), entrypoint %s, workdir %s, %s, labels of %s", v.name, plat, uid, gid, image.BinaryPath, image.WorkingDir, image.PathEnv, shortCommit(c.Expect.Commit))

	files, err := flatten(img)
	if err != nil {
		return err
	}
	if err := c.checkFiles(files, d.Platform.Architecture, uid, gid, v); err != nil {
		return err
	}
	if plat == runtime.GOOS+"/"+runtime.GOARCH {
		v.host, v.hostCfg = files, cfg
	}
	return nil
}

func numericUser(user string) (uid, gid int, err error) {
	u, g, _ := strings.Cut(user, ":")
	uid, err1 := strconv.Atoi(u)
	gid, err2 := strconv.Atoi(g)
	if err1 != nil || err2 != nil {
		return 0, 0, fmt.Errorf("user %q: want numeric UID:GID, so that Kubernetes' runAsNonRoot can check it", user)
	}
	if uid == 0 {
		return 0, 0, fmt.Errorf("user %q is root", user)
	}
	return uid, gid, nil
}

// checkFiles checks the filesystem of one image.
func (c *checker) checkFiles(files map[string]fileInfo, arch string, uid, gid int, v *variant) error {
	bin, ok := files[image.BinaryPath]
	if !ok || bin.Type != tar.TypeReg {
		return fmt.Errorf("%s: missing or not a regular file", image.BinaryPath)
	}
	if bin.Mode&0o777 != 0o755 || bin.UID != 0 {
		return fmt.Errorf("%s: mode %o owner %d; want 755 owned by root (the user must not be able to replace it)", image.BinaryPath, bin.Mode, bin.UID)
	}
	if err := checkStatic(image.BinaryPath, bin.Body, arch); err != nil {
		return err
	}
	for name, f := range files {
		if f.Mode&0o6000 != 0 {
			return fmt.Errorf("%s: setuid or setgid bit set", name)
		}
		if f.Type != tar.TypeSymlink && f.Mode&0o002 != 0 && name != "/tmp" {
			return fmt.Errorf("%s: writable by everyone", name)
		}
		if f.UID != 0 && f.UID != uid {
			return fmt.Errorf("%s: owned by UID %d, want root or the image user %d", name, f.UID, uid)
		}
	}
	data := files[image.WorkingDir]
	if data.Type != tar.TypeDir || data.UID != uid || data.GID != gid {
		return fmt.Errorf("%s: want a folder owned by %d:%d", image.WorkingDir, uid, gid)
	}
	if tmp := files["/tmp"]; tmp.Type != tar.TypeDir || tmp.Mode&0o1777 != 0o1777 {
		return fmt.Errorf("/tmp: want a folder with mode 1777")
	}
	passwd := string(files["/etc/passwd"].Body)
	if !strings.Contains(passwd, fmt.Sprintf(":x:%d:%d:", uid, gid)) {
		return fmt.Errorf("/etc/passwd has no entry for %d:%d:\n%s", uid, gid, passwd)
	}
	n, err := countCerts(files[image.CABundle].Body)
	if err != nil {
		return fmt.Errorf("%s: %w", image.CABundle, err)
	}
	c.ok("%s %s: static %s binary, %d CA certificates, %s owned by the user, /tmp 1777, nothing setuid or world-writable", v.name, arch, arch, n, image.WorkingDir)

	sh, hasShell := files[image.ShellPath]
	if !v.shell {
		for name := range files {
			base := filepath.Base(name)
			if base == "sh" || base == "bash" || base == "busybox" || base == "ash" {
				return fmt.Errorf("%s: the base image must hold no shell", name)
			}
		}
		c.ok("%s %s: no shell", v.name, arch)
		return nil
	}
	if !hasShell || sh.Type != tar.TypeSymlink {
		return fmt.Errorf("%s: want a link to busybox", image.ShellPath)
	}
	bb := files[image.BusyboxDir+"/busybox"]
	if err := checkStatic(image.BusyboxDir+"/busybox", bb.Body, arch); err != nil {
		return err
	}
	c.ok("%s %s: static busybox at %s/busybox, %s and %d other applets linked to it", v.name, arch, image.BusyboxDir, image.ShellPath, len(image.Applets)-1)
	return nil
}

func countCerts(pemData []byte) (int, error) {
	n := 0
	for {
		var b *pem.Block
		b, pemData = pem.Decode(pemData)
		if b == nil {
			break
		}
		if _, err := x509.ParseCertificate(b.Bytes); err != nil {
			return n, fmt.Errorf("certificate %d: %w", n+1, err)
		}
		n++
	}
	if n < 50 {
		return n, fmt.Errorf("only %d certificates", n)
	}
	return n, nil
}

// newContainer unpacks files into a fresh folder below Work.
func (c *checker) newContainer(v *variant, name string) (*container, error) {
	dir, err := os.MkdirTemp(c.Work, name+"-")
	if err != nil {
		return nil, err
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		return nil, err
	}
	if err := unpack(v.host, dir); err != nil {
		return nil, fmt.Errorf("unpacking %s: %w", v.name, err)
	}
	uid, gid, err := numericUser(v.hostCfg.User)
	if err != nil {
		return nil, err
	}
	return &container{root: dir, cfg: v.hostCfg, uid: uid, gid: gid}, nil
}

// versionJSON is what `wurzel version -o json` prints.
type versionJSON struct {
	Version   string `json:"version"`
	Commit    string `json:"commit"`
	Date      string `json:"date"`
	GoVersion string `json:"goVersion"`
	Platform  string `json:"platform"`
}

func (c *checker) checkVersionOutput(out string) error {
	var got versionJSON
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		return fmt.Errorf("wurzel version -o json: %w:\n%s", err, indent(out))
	}
	want := versionJSON{Version: c.Expect.Version, Commit: c.Expect.Commit, Date: c.Expect.Date(), GoVersion: got.GoVersion, Platform: runtime.GOOS + "/" + runtime.GOARCH}
	if got != want || got.GoVersion == "" {
		return fmt.Errorf("wurzel version -o json says %+v, want %+v", got, want)
	}
	return nil
}

// runUnprivileged is what can be checked without root: no chroot, so the binary runs from
// the unpacked image directly, as the current (non-root) user.
func (c *checker) runUnprivileged(v *variant) error {
	c.note("not root: cannot chroot into the image or switch users, so the binary runs from the unpacked image as UID %d and the packs' commands are not replayed", os.Geteuid())
	dir := filepath.Join(c.Work, "unprivileged")
	if err := unpack(v.host, dir); err != nil {
		return err
	}
	bin := filepath.Join(dir, filepath.FromSlash(image.BinaryPath))
	out, err := runHost(c.ctx, "", bin, "version", "-o", "json")
	if err != nil {
		return err
	}
	if err := c.checkVersionOutput(out); err != nil {
		return err
	}
	c.ok("wurzel version -o json from the image: %s %s %s", c.Expect.Version, shortCommit(c.Expect.Commit), c.Expect.Date())
	project := filepath.Join(c.Work, "project")
	if err := copyTree(c.Project, project, 0, 0, 0o755, 0o644); err != nil {
		return err
	}
	example := filepath.Join(project, filepath.FromSlash(c.Example))
	if _, err := runHost(c.ctx, example, bin, "run", "-p", "pipeline.yaml", "--jobs", "1", "--log-format", "text"); err != nil {
		return err
	}
	c.ok("wurzel run -p %s/pipeline.yaml (the LocalBackend) with the image's binary as UID %d", c.Example, os.Geteuid())
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func sortStrings(s []string) { sort.Strings(s) }

func shortCommit(c string) string {
	if len(c) > 12 {
		return c[:12]
	}
	return c
}
