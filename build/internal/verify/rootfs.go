package verify

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
)

// fileInfo is one entry of an image's flattened filesystem.
type fileInfo struct {
	Type     byte
	Mode     int64
	UID, GID int
	Linkname string
	Body     []byte // regular files only
}

// flatten reads the filesystem an image's layers add up to, keyed by absolute path.
func flatten(img v1.Image) (map[string]fileInfo, error) {
	rc := mutate.Extract(img)
	defer rc.Close()
	files := map[string]fileInfo{}
	tr := tar.NewReader(rc)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return files, nil
		}
		if err != nil {
			return nil, fmt.Errorf("reading the image filesystem: %w", err)
		}
		name := path.Clean("/" + h.Name)
		if strings.HasPrefix(path.Base(name), ".wh.") {
			return nil, fmt.Errorf("image filesystem: whiteout %s: the image should only add files", name)
		}
		fi := fileInfo{Type: h.Typeflag, Mode: h.Mode, UID: h.Uid, GID: h.Gid, Linkname: h.Linkname}
		switch h.Typeflag {
		case tar.TypeReg:
			if fi.Body, err = io.ReadAll(tr); err != nil {
				return nil, fmt.Errorf("reading %s from the image: %w", name, err)
			}
		case tar.TypeDir, tar.TypeSymlink:
		default:
			return nil, fmt.Errorf("image filesystem: %s has type %q; want files, folders and symbolic links only", name, h.Typeflag)
		}
		files[name] = fi
	}
}

// unpack writes files below root with their modes and, when running as root, their owners.
func unpack(files map[string]fileInfo, root string) error {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	// Parents sort before their contents.
	sortStrings(names)
	asRoot := os.Geteuid() == 0
	for _, n := range names {
		f := files[n]
		p := filepath.Join(root, filepath.FromSlash(n))
		switch f.Type {
		case tar.TypeDir:
			if err := os.MkdirAll(p, 0o755); err != nil {
				return err
			}
		case tar.TypeReg:
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				return err
			}
			if err := os.WriteFile(p, f.Body, 0o600); err != nil {
				return err
			}
		case tar.TypeSymlink:
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				return err
			}
			if err := os.Symlink(f.Linkname, p); err != nil {
				return err
			}
			if asRoot {
				if err := os.Lchown(p, f.UID, f.GID); err != nil {
					return err
				}
			}
			continue
		}
		if asRoot {
			if err := os.Chown(p, f.UID, f.GID); err != nil {
				return err
			}
		}
		if err := os.Chmod(p, fileMode(f.Mode)); err != nil {
			return err
		}
	}
	return nil
}

func fileMode(m int64) os.FileMode {
	mode := os.FileMode(m & 0o777)
	if m&0o4000 != 0 {
		mode |= os.ModeSetuid
	}
	if m&0o2000 != 0 {
		mode |= os.ModeSetgid
	}
	if m&0o1000 != 0 {
		mode |= os.ModeSticky
	}
	return mode
}

// container runs programs in an unpacked image filesystem the way a container runtime would:
// chrooted into it, as the image's (or the pod's) user, with the image's environment and
// working folder. It needs root; without root it is not used.
type container struct {
	root string
	cfg  v1.Config
	uid  int
	gid  int
}

// readOnly makes root what a container with a read-only root filesystem sees for a non-root
// user: every path owned by root and not writable by others, /tmp included; then mounts (the
// pod's volumes) are created as empty folders owned by the container's user.
func (c *container) readOnly(mounts ...string) error {
	err := filepath.WalkDir(c.root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if err := os.Lchown(p, 0, 0); err != nil {
			return err
		}
		if d.Type()&fs.ModeSymlink != 0 {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		return os.Chmod(p, info.Mode().Perm()&^0o022)
	})
	if err != nil {
		return fmt.Errorf("making the root filesystem read-only: %w", err)
	}
	for _, m := range mounts {
		if err := c.mount(m); err != nil {
			return err
		}
	}
	return nil
}

// mount creates an empty writable folder at the absolute container path m, as an emptyDir
// or a PersistentVolumeClaim with the pod's fsGroup would be.
func (c *container) mount(m string) error {
	p := c.path(m)
	if err := os.RemoveAll(p); err != nil {
		return err
	}
	if err := os.MkdirAll(p, 0o755); err != nil {
		return err
	}
	if err := os.Chown(p, c.uid, c.gid); err != nil {
		return err
	}
	return nil
}

// path returns the host path of the absolute container path p.
func (c *container) path(p string) string {
	return filepath.Join(c.root, filepath.FromSlash(path.Clean("/"+p)))
}

// copyIn copies the host folder src to the container path dst, owned by root and readable by
// all (as a file baked into a derived image, or a read-only volume, would be).
func (c *container) copyIn(src, dst string) error {
	return copyTree(src, c.path(dst), 0, 0, 0o755, 0o644)
}

// writeIn writes one root-owned, read-only file at the container path dst.
func (c *container) writeIn(dst string, body []byte) error {
	p := c.path(dst)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return os.WriteFile(p, body, 0o644)
}

// lookPath finds name on the container's PATH, as the runtime does for a command without a
// slash, resolving symbolic links inside the container.
func (c *container) lookPath(name string, env []string) (string, error) {
	if strings.Contains(name, "/") {
		return name, c.executable(name)
	}
	pathVar := ""
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, "PATH="); ok {
			pathVar = v
		}
	}
	if pathVar == "" {
		return "", fmt.Errorf("%s: the container has no PATH, so the runtime cannot find it", name)
	}
	for _, dir := range strings.Split(pathVar, ":") {
		p := path.Join(dir, name)
		if c.executable(p) == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("%s: not found on the container's PATH %s", name, pathVar)
}

// executable reports whether the container path p is, after its links, an executable file.
func (c *container) executable(p string) error {
	for range 40 {
		info, err := os.Lstat(c.path(p))
		if err != nil {
			return err
		}
		if info.Mode()&fs.ModeSymlink == 0 {
			if !info.Mode().IsRegular() || info.Mode().Perm()&0o111 == 0 {
				return fmt.Errorf("%s: not an executable file", p)
			}
			return nil
		}
		target, err := os.Readlink(c.path(p))
		if err != nil {
			return err
		}
		if !path.IsAbs(target) {
			target = path.Join(path.Dir(p), target)
		}
		p = target
	}
	return fmt.Errorf("%s: too many symbolic links", p)
}

// env is the environment of a process in the container: the image's, HOME from the image's
// /etc/passwd (as runtimes set it), then the pod's variables, which win.
func (c *container) env(extra ...string) []string {
	env := append([]string{}, c.cfg.Env...)
	env = append(env, "HOME="+c.home(), "HOSTNAME=wurzel-verify")
	return append(env, extra...)
}

func (c *container) home() string {
	data, err := os.ReadFile(c.path("/etc/passwd"))
	if err != nil {
		return "/"
	}
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Split(line, ":")
		if len(f) >= 6 && f[2] == strconv.Itoa(c.uid) {
			return f[5]
		}
	}
	return "/"
}

// run starts argv in the container with the environment env (see container.env) in the
// container folder dir (the image's working folder when empty), and returns its output.
func (c *container) run(ctx context.Context, argv []string, env []string, dir string) (string, error) {
	if len(argv) == 0 {
		return "", fmt.Errorf("empty command")
	}
	exe, err := c.lookPath(argv[0], env)
	if err != nil {
		return "", err
	}
	if dir == "" {
		dir = c.cfg.WorkingDir
	}
	if dir == "" {
		dir = "/"
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	var out bytes.Buffer
	cmd := &exec.Cmd{
		Path:   exe,
		Args:   argv,
		Env:    env,
		Dir:    dir,
		Stdout: &out,
		Stderr: &out,
		SysProcAttr: &syscall.SysProcAttr{
			Chroot:     c.root,
			Credential: &syscall.Credential{Uid: uint32(c.uid), Gid: uint32(c.gid), Groups: []uint32{}},
			Setsid:     true,
		},
	}
	if err := cmd.Start(); err != nil {
		return "", fmt.Errorf("starting %s in the container: %w", strings.Join(argv, " "), err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err = <-done:
	case <-ctx.Done():
		_ = cmd.Process.Kill()
		<-done
		err = fmt.Errorf("killed after 5 minutes")
	}
	if err != nil {
		return out.String(), fmt.Errorf("%s (as uid %d in %s): %w\n%s", strings.Join(argv, " "), c.uid, dir, err, indent(out.String()))
	}
	return out.String(), nil
}

// copyTree copies the regular files and folders of src to dst with the given owner and modes.
func copyTree(src, dst string, uid, gid int, dirMode, fileMode os.FileMode) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		switch {
		case d.IsDir():
			if err := os.MkdirAll(target, dirMode); err != nil {
				return err
			}
			if err := os.Chmod(target, dirMode); err != nil {
				return err
			}
		case d.Type().IsRegular():
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			if err := os.WriteFile(target, data, fileMode); err != nil {
				return err
			}
		default:
			return nil
		}
		if os.Geteuid() == 0 {
			return os.Chown(target, uid, gid)
		}
		return nil
	})
}

func indent(s string) string {
	s = strings.TrimRight(s, "\n")
	if s == "" {
		return "    (no output)"
	}
	return "    " + strings.ReplaceAll(s, "\n", "\n    ")
}
