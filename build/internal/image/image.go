// Package image assembles the wurzel container images without a container engine: a base
// image (the static wurzel binary, CA certificates, a non-root user, no shell) and its -shell
// variant (the same plus busybox, for GitLab CI), each an OCI image index over one image per
// platform, written to an OCI image layout. The output depends only on its inputs: layers are
// tar streams of sorted entries with fixed owners, modes and times (the commit time), and
// every JSON document is marshalled from structs and sorted maps.
package image

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/wurzel-dev/wurzel/build/internal/repro"
	"github.com/wurzel-dev/wurzel/build/internal/source"
)

// DefaultRepository is where releases publish the images; `wurzel render` names it.
const DefaultRepository = "ghcr.io/wurzel-dev/wurzel"

// Annotation keys of the OCI image layout's index.json: the tag, and the full name that
// `docker load` and containerd import the image under.
const (
	RefNameAnnotation   = "org.opencontainers.image.ref.name"
	ImageNameAnnotation = "io.containerd.image.name"
)

// Spec is what the images are built from.
type Spec struct {
	// Repository is the image name without tag, such as ghcr.io/wurzel-dev/wurzel.
	Repository string
	Source     source.Info
	// GoVersion is the Go release that compiled the binaries (a label).
	GoVersion string
	// Shell describes the busybox of the -shell variant (a label), such as
	// "busybox-static 1:1.35.0-4+deb12u1+b1 (Debian)".
	Shell string
	// Platforms hold the binaries of each platform, in the order the index lists them.
	Platforms []Platform
}

// Platform holds the binaries of one platform.
type Platform struct {
	Platform source.Platform
	Wurzel   []byte
	// Busybox is a static busybox for the -shell variant; nil builds no -shell variant.
	Busybox []byte
}

// Tags returns the tags of the base image and of its -shell variant.
func (s Spec) Tags() (base, shell string) {
	t := source.ImageTag(s.Source.Version)
	return t, t + "-shell"
}

// Result holds the built image indexes.
type Result struct {
	Base, Shell         v1.ImageIndex // Shell is nil when no platform had busybox
	BaseTag, ShellTag   string
	BaseName, ShellName string // repository:tag
}

// Build assembles the images of s.
func Build(s Spec) (*Result, error) {
	if len(s.Platforms) == 0 {
		return nil, fmt.Errorf("building images: no platform given")
	}
	if s.Repository == "" || strings.Contains(s.Repository, "@") || strings.Contains(s.Repository[strings.LastIndex(s.Repository, "/")+1:], ":") {
		return nil, fmt.Errorf("repository %q: want a name without tag or digest, such as %s", s.Repository, DefaultRepository)
	}
	withShell := s.Platforms[0].Busybox != nil
	for _, p := range s.Platforms {
		if withShell && p.Busybox == nil {
			return nil, fmt.Errorf("platform %s: no busybox, but %s has one: give busybox for every platform (the -shell variant), or for none", p.Platform, s.Platforms[0].Platform)
		}
		if !withShell && p.Busybox != nil {
			return nil, fmt.Errorf("platform %s: busybox given, but %s has none: give busybox for every platform (the -shell variant), or for none", p.Platform, s.Platforms[0].Platform)
		}
		if len(p.Wurzel) == 0 {
			return nil, fmt.Errorf("platform %s: the wurzel binary is empty", p.Platform)
		}
	}
	base, err := baseFiles()
	if err != nil {
		return nil, err
	}
	r := &Result{}
	r.BaseTag, r.ShellTag = s.Tags()
	r.BaseName, r.ShellName = s.Repository+":"+r.BaseTag, s.Repository+":"+r.ShellTag

	var baseAdds, shellAdds []mutate.IndexAddendum
	for _, p := range s.Platforms {
		img, err := s.image(p, base, nil)
		if err != nil {
			return nil, fmt.Errorf("platform %s: %w", p.Platform, err)
		}
		baseAdds = append(baseAdds, addendum(img, p.Platform))
		if withShell {
			img, err := s.image(p, base, p.Busybox)
			if err != nil {
				return nil, fmt.Errorf("platform %s, -shell variant: %w", p.Platform, err)
			}
			shellAdds = append(shellAdds, addendum(img, p.Platform))
		}
	}
	if r.Base, err = s.index(baseAdds, false); err != nil {
		return nil, err
	}
	if withShell {
		if r.Shell, err = s.index(shellAdds, true); err != nil {
			return nil, err
		}
	}
	return r, nil
}

func addendum(img v1.Image, p source.Platform) mutate.IndexAddendum {
	return mutate.IndexAddendum{Add: img, Descriptor: v1.Descriptor{Platform: &v1.Platform{OS: p.OS, Architecture: p.Arch}}}
}

// image builds one platform's image: the base files, the binary, and busybox when not nil.
func (s Spec) image(p Platform, base []repro.Entry, busybox []byte) (v1.Image, error) {
	created := v1.Time{Time: s.Source.Time}
	layers := []struct {
		entries []repro.Entry
		comment string
	}{
		{base, "users, CA certificates, " + WorkingDir + " and /tmp"},
		{[]repro.Entry{repro.File(strings.TrimPrefix(BinaryPath, "/"), 0o755, 0, 0, p.Wurzel)}, "wurzel " + s.Source.Version + " at " + BinaryPath},
	}
	if busybox != nil {
		layers = append(layers, struct {
			entries []repro.Entry
			comment string
		}{shellFiles(busybox), s.Shell + " at " + BusyboxDir})
	}

	img := mutate.ConfigMediaType(mutate.MediaType(empty.Image, types.OCIManifestSchema1), types.OCIConfigJSON)
	for _, l := range layers {
		data, err := repro.TarGz(l.entries, s.Source.Time)
		if err != nil {
			return nil, fmt.Errorf("layer %q: %w", l.comment, err)
		}
		layer, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) {
			return io.NopCloser(bytes.NewReader(data)), nil
		}, tarball.WithMediaType(types.OCILayer))
		if err != nil {
			return nil, fmt.Errorf("layer %q: %w", l.comment, err)
		}
		img, err = mutate.Append(img, mutate.Addendum{
			Layer:     layer,
			MediaType: types.OCILayer,
			History:   v1.History{Created: created, CreatedBy: "wurzel build/cmd/wurzel-image", Comment: l.comment},
		})
		if err != nil {
			return nil, fmt.Errorf("layer %q: %w", l.comment, err)
		}
	}

	cf, err := img.ConfigFile()
	if err != nil {
		return nil, err
	}
	cf = cf.DeepCopy()
	cf.Architecture, cf.OS = p.Platform.Arch, p.Platform.OS
	cf.Created = created
	cf.Config = v1.Config{
		User:       User,
		Env:        []string{PathEnv},
		Entrypoint: []string{BinaryPath},
		WorkingDir: WorkingDir,
		Labels:     s.labels(busybox != nil),
	}
	return mutate.ConfigFile(img, cf)
}

// labels are the OCI annotations of the image config and of the index.
func (s Spec) labels(shell bool) map[string]string {
	desc := "wurzel: declare a data pipeline once, run it here or render it for DVC, Argo Workflows, GitHub Actions, GitLab CI, Airflow and Kubernetes CronJobs. Static binary, non-root, no shell."
	if shell {
		desc = "wurzel with a static POSIX shell (" + s.Shell + "), for GitLab CI jobs, which run their script through sh."
	}
	l := map[string]string{
		"org.opencontainers.image.title":       "wurzel",
		"org.opencontainers.image.description": desc,
		"org.opencontainers.image.source":      "https://github.com/wurzel-dev/wurzel",
		"org.opencontainers.image.version":     s.Source.Version,
		"org.opencontainers.image.revision":    s.Source.Commit,
		"org.opencontainers.image.created":     s.Source.Date(),
		"dev.wurzel.go-version":                s.GoVersion,
	}
	if shell {
		l["dev.wurzel.shell"] = s.Shell
	}
	return l
}

func (s Spec) index(adds []mutate.IndexAddendum, shell bool) (v1.ImageIndex, error) {
	idx := mutate.AppendManifests(mutate.IndexMediaType(empty.Index, types.OCIImageIndex), adds...)
	anns := s.labels(shell)
	delete(anns, "dev.wurzel.go-version")
	delete(anns, "dev.wurzel.shell")
	out, ok := mutate.Annotations(idx, anns).(v1.ImageIndex)
	if !ok {
		return nil, fmt.Errorf("annotating the image index: not an index")
	}
	return out, nil
}

// WriteLayout writes r as an OCI image layout into dir, which must not exist: one entry per
// tag in index.json, named by RefNameAnnotation (the tag) and ImageNameAnnotation.
func WriteLayout(dir string, r *Result) error {
	if _, err := os.Stat(dir); err == nil {
		return fmt.Errorf("writing the image layout: %s already exists: remove it or pick another folder", dir)
	}
	p, err := layout.Write(dir, mutate.IndexMediaType(empty.Index, types.OCIImageIndex))
	if err != nil {
		return fmt.Errorf("writing the image layout %s: %w", dir, err)
	}
	add := func(idx v1.ImageIndex, tag, name string) error {
		if err := p.AppendIndex(idx, layout.WithAnnotations(map[string]string{RefNameAnnotation: tag, ImageNameAnnotation: name})); err != nil {
			return fmt.Errorf("writing %s to the image layout %s: %w", name, dir, err)
		}
		return nil
	}
	if err := add(r.Base, r.BaseTag, r.BaseName); err != nil {
		return err
	}
	if r.Shell != nil {
		return add(r.Shell, r.ShellTag, r.ShellName)
	}
	return nil
}

// Summary describes r: for each tag its index digest, and for each platform the image's
// manifest digest and its size as pulled (manifest, config and compressed layers).
func Summary(r *Result) (string, error) {
	var b strings.Builder
	for _, v := range []struct {
		name string
		idx  v1.ImageIndex
	}{{r.BaseName, r.Base}, {r.ShellName, r.Shell}} {
		if v.idx == nil {
			continue
		}
		d, err := v.idx.Digest()
		if err != nil {
			return "", err
		}
		fmt.Fprintf(&b, "%s@%s\n", v.name, d)
		m, err := v.idx.IndexManifest()
		if err != nil {
			return "", err
		}
		for _, md := range m.Manifests {
			img, err := v.idx.Image(md.Digest)
			if err != nil {
				return "", err
			}
			size, err := pulledSize(img)
			if err != nil {
				return "", err
			}
			fmt.Fprintf(&b, "  %s/%s  %s  %.1f MB compressed\n", md.Platform.OS, md.Platform.Architecture, md.Digest, float64(size)/1e6)
		}
	}
	return b.String(), nil
}

func pulledSize(img v1.Image) (int64, error) {
	m, err := img.Manifest()
	if err != nil {
		return 0, err
	}
	raw, err := img.RawManifest()
	if err != nil {
		return 0, err
	}
	size := int64(len(raw)) + m.Config.Size
	for _, l := range m.Layers {
		size += l.Size
	}
	return size, nil
}
