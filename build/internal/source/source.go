// Package source pins what a build is made from: one commit of the repository, exported to a
// clean folder, its version (the release tag on it, else "dev"), and its time, which stands in
// for the clock everywhere (SOURCE_DATE_EPOCH). It also builds the wurzel binary from such an
// export with the flags every artifact shares.
package source

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"
)

// Module is the import path of the main module; the version variables live in its cmd package.
const Module = "github.com/wurzel-dev/wurzel"

// Info describes what a build is made from.
type Info struct {
	// Version is the release tag on the commit (v1.2.3), or "dev".
	Version string
	// Commit is the full commit hash.
	Commit string
	// Time is the commit time, or SOURCE_DATE_EPOCH when that is set.
	Time time.Time
}

// Date is Time as wurzel version prints it: RFC 3339 in UTC.
func (i Info) Date() string { return i.Time.UTC().Format(time.RFC3339) }

// ImageTag is the tag of the image this version is published under, the one `wurzel render`
// names by default: the version, or "latest" for development builds (version "dev", empty,
// with build metadata after a "+", or a pseudo-version).
func ImageTag(version string) string {
	if !isRelease(version) || module.IsPseudoVersion(version) {
		return "latest" // dev builds and pseudo-versions name no published tag (cmd.defaultImage)
	}
	return version
}

// isRelease reports whether v is a release tag: a semantic version with all three numbers
// and no build metadata (v1.2.3, v1.2.3-rc.1).
func isRelease(v string) bool { return semver.IsValid(v) && semver.Canonical(v) == v }

// CheckVersion reports whether v can name a build: "dev" or a release tag.
func CheckVersion(v string) error {
	if v == "dev" || isRelease(v) {
		return nil
	}
	return fmt.Errorf("version %q: want dev or a tag such as v1.2.3 or v1.2.3-rc.1", v)
}

// Resolve reads rev (a commit, tag or branch) of the repository at repo. An empty version
// takes the release tag that points at the commit (the highest, if several do), else "dev".
// epoch, when not empty, is SOURCE_DATE_EPOCH: seconds since 1970 that replace the commit time.
func Resolve(ctx context.Context, repo, rev, version, epoch string) (Info, error) {
	commit, err := git(ctx, repo, "rev-parse", "--verify", "--quiet", rev+"^{commit}")
	if err != nil {
		return Info{}, fmt.Errorf("resolving revision %q: %w", rev, err)
	}
	if epoch == "" {
		if epoch, err = git(ctx, repo, "log", "-1", "--format=%ct", commit); err != nil {
			return Info{}, fmt.Errorf("reading the time of commit %s: %w", commit, err)
		}
	}
	secs, err := strconv.ParseInt(epoch, 10, 64)
	if err != nil || secs < 0 {
		return Info{}, fmt.Errorf("SOURCE_DATE_EPOCH %q: want seconds since 1970 (such as git log -1 --format=%%ct)", epoch)
	}
	if version == "" {
		tags, err := git(ctx, repo, "tag", "--points-at", commit, "--list", "v*")
		if err != nil {
			return Info{}, fmt.Errorf("listing the tags of commit %s: %w", commit, err)
		}
		version = "dev"
		for _, t := range strings.Fields(tags) {
			if isRelease(t) && (version == "dev" || semver.Compare(t, version) > 0) {
				version = t
			}
		}
	}
	if err := CheckVersion(version); err != nil {
		return Info{}, err
	}
	return Info{Version: version, Commit: commit, Time: time.Unix(secs, 0).UTC()}, nil
}

// Export writes the files of commit (as git archive does, so uncommitted changes of the work
// tree never reach a build) into dst, which must not exist.
func Export(ctx context.Context, repo, commit, dst string) error {
	if _, err := os.Stat(dst); err == nil {
		return fmt.Errorf("exporting %s: %s already exists", commit, dst)
	}
	cmd := exec.CommandContext(ctx, "git", "-C", repo, "archive", "--format=tar", commit)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("exporting %s: %w", commit, err)
	}
	extractErr := extract(out, dst)
	if extractErr != nil {
		_, _ = io.Copy(io.Discard, out)
	}
	if err := cmd.Wait(); err != nil {
		return fmt.Errorf("exporting %s: git archive: %w: %s", commit, err, strings.TrimSpace(stderr.String()))
	}
	if extractErr != nil {
		return fmt.Errorf("exporting %s: %w", commit, extractErr)
	}
	return nil
}

// extract unpacks the regular files, folders and symbolic links of a git archive stream.
func extract(r io.Reader, dst string) error {
	tr := tar.NewReader(r)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		name := filepath.FromSlash(h.Name)
		if !filepath.IsLocal(name) {
			if h.Typeflag == tar.TypeXGlobalHeader {
				continue
			}
			return fmt.Errorf("archive entry %q leaves the export folder", h.Name)
		}
		p := filepath.Join(dst, name)
		switch h.Typeflag {
		case tar.TypeXGlobalHeader:
		case tar.TypeDir:
			if err := os.MkdirAll(p, 0o755); err != nil {
				return err
			}
		case tar.TypeReg:
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				return err
			}
			mode := os.FileMode(0o644)
			if h.Mode&0o111 != 0 {
				mode = 0o755
			}
			f, err := os.OpenFile(p, os.O_CREATE|os.O_EXCL|os.O_WRONLY, mode)
			if err != nil {
				return err
			}
			_, err = io.Copy(f, tr)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				return err
			}
		case tar.TypeSymlink:
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				return err
			}
			if err := os.Symlink(h.Linkname, p); err != nil {
				return err
			}
		default:
			return fmt.Errorf("archive entry %q: unsupported type %q", h.Name, h.Typeflag)
		}
	}
}

func git(ctx context.Context, repo string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "git", append([]string{"-C", repo}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = "no output"
		}
		return "", fmt.Errorf("git %s: %w: %s", strings.Join(args, " "), err, msg)
	}
	return strings.TrimSpace(string(out)), nil
}
