// Package repro writes tar and gzip streams whose bytes depend only on their entries: entries
// are sorted by name, every parent folder is written before its contents, and times, owners
// and modes come from the entries, never from the machine that builds them.
package repro

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"path"
	"sort"
	"strings"
	"time"
)

// Entry is one file, folder or symbolic link of an archive.
type Entry struct {
	// Name is the slash-separated path inside the archive, without a leading "/" or "./".
	Name string
	// Type is tar.TypeReg, tar.TypeDir or tar.TypeSymlink.
	Type byte
	// Mode holds the permission bits (and setuid, setgid, sticky).
	Mode int64
	// UID and GID own the entry.
	UID, GID int
	// Linkname is the target of a symbolic link.
	Linkname string
	// Body is the content of a regular file.
	Body []byte
}

// File returns a regular file entry.
func File(name string, mode int64, uid, gid int, body []byte) Entry {
	return Entry{Name: name, Type: tar.TypeReg, Mode: mode, UID: uid, GID: gid, Body: body}
}

// Dir returns a folder entry.
func Dir(name string, mode int64, uid, gid int) Entry {
	return Entry{Name: name, Type: tar.TypeDir, Mode: mode, UID: uid, GID: gid}
}

// Symlink returns a symbolic link entry owned by root.
func Symlink(name, target string) Entry {
	return Entry{Name: name, Type: tar.TypeSymlink, Mode: 0o777, Linkname: target}
}

// WriteTar writes entries as a tar stream: sorted by name, each missing parent folder added
// (0755, root), every entry with modification time mtime (whole seconds, UTC). Two entries
// with one name are an error.
func WriteTar(w io.Writer, entries []Entry, mtime time.Time) error {
	all, err := withParents(entries)
	if err != nil {
		return err
	}
	mtime = mtime.UTC().Truncate(time.Second)
	tw := tar.NewWriter(w)
	for _, e := range all {
		h := &tar.Header{
			Typeflag: e.Type,
			Name:     e.Name,
			Linkname: e.Linkname,
			Mode:     e.Mode,
			Uid:      e.UID,
			Gid:      e.GID,
			ModTime:  mtime,
			Format:   tar.FormatPAX,
		}
		switch e.Type {
		case tar.TypeDir:
			h.Name += "/"
		case tar.TypeReg:
			h.Size = int64(len(e.Body))
		case tar.TypeSymlink:
		default:
			return fmt.Errorf("entry %s: unsupported type %q", e.Name, e.Type)
		}
		if err := tw.WriteHeader(h); err != nil {
			return fmt.Errorf("entry %s: %w", e.Name, err)
		}
		if e.Type == tar.TypeReg {
			if _, err := tw.Write(e.Body); err != nil {
				return fmt.Errorf("entry %s: %w", e.Name, err)
			}
		}
	}
	return tw.Close()
}

// withParents checks the names and returns the entries sorted, with their missing parent
// folders added.
func withParents(entries []Entry) ([]Entry, error) {
	byName := map[string]Entry{}
	for _, e := range entries {
		clean := path.Clean(e.Name)
		if e.Name == "" || clean != e.Name || strings.HasPrefix(e.Name, "/") || clean == "." || strings.HasPrefix(clean, "../") || clean == ".." {
			return nil, fmt.Errorf("entry name %q: want a clean relative path such as usr/local/bin/wurzel", e.Name)
		}
		if _, dup := byName[e.Name]; dup {
			return nil, fmt.Errorf("entry %s: listed twice", e.Name)
		}
		byName[e.Name] = e
	}
	for _, e := range entries {
		for dir := path.Dir(e.Name); dir != "."; dir = path.Dir(dir) {
			p, ok := byName[dir]
			if !ok {
				byName[dir] = Dir(dir, 0o755, 0, 0)
				continue
			}
			if p.Type != tar.TypeDir {
				return nil, fmt.Errorf("entry %s: its parent %s is not a folder", e.Name, dir)
			}
		}
	}
	out := make([]Entry, 0, len(byName))
	for _, e := range byName {
		out = append(out, e)
	}
	// Sorting by name puts every folder before its contents ("a" < "a/b").
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// Gzip compresses data at the best compression level with an empty header (no name, no
// time), so equal inputs give equal bytes.
func Gzip(data []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(data); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// TarGz returns WriteTar's stream compressed with Gzip.
func TarGz(entries []Entry, mtime time.Time) ([]byte, error) {
	var buf bytes.Buffer
	if err := WriteTar(&buf, entries, mtime); err != nil {
		return nil, err
	}
	return Gzip(buf.Bytes())
}

// SHA256 returns the hex SHA-256 of data.
func SHA256(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}
