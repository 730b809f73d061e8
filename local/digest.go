package local

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"hash"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"sync"
)

// missing is the digest of a path that does not exist.
const missing = "missing"

// vcsDirs are never hashed as sources: they change with every commit.
var vcsDirs = map[string]bool{".git": true, ".hg": true, ".svn": true}

var bufPool = sync.Pool{New: func() any { b := make([]byte, 256<<10); return &b }}

// treeDigest hashes the file or folder at root: the slash path, kind and executable bit of
// everything below it, and every file's content (symbolic links to files are followed, links
// to folders are hashed as links). skip, when not nil, is called with the absolute path of
// every folder below root and leaves out those it returns true for. A root that does not
// exist is an error wrapping fs.ErrNotExist.
func treeDigest(root string, skip func(abs string) bool) (string, error) {
	root = filepath.Clean(root)
	fi, err := os.Stat(root)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	if !fi.IsDir() {
		if err := hashEntry(h, ".", root, fi); err != nil {
			return "", err
		}
		return hex.EncodeToString(h.Sum(nil)), nil
	}
	var absRoot string
	if skip != nil {
		if absRoot, err = filepath.Abs(root); err != nil {
			return "", err
		}
	}
	err = filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == root {
			return nil
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if e.IsDir() {
			if skip != nil && skip(filepath.Join(absRoot, filepath.FromSlash(rel))) {
				return filepath.SkipDir
			}
			writeRecord(h, 'd', rel)
			return nil
		}
		info, err := e.Info()
		if err != nil {
			return err
		}
		return hashEntry(h, rel, p, info)
	})
	if err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// hashEntry adds one file, link or special file to h.
func hashEntry(h hash.Hash, rel, p string, info fs.FileInfo) error {
	if info.Mode()&fs.ModeSymlink != 0 {
		target, err := os.Readlink(p)
		if err != nil {
			return err
		}
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
			info = fi // a link to a file counts as the file
		} else {
			writeRecord(h, 'l', rel)
			h.Write([]byte(target))
			h.Write([]byte{0})
			return nil
		}
	}
	if !info.Mode().IsRegular() {
		writeRecord(h, 'o', rel)
		h.Write([]byte(info.Mode().Type().String()))
		h.Write([]byte{0})
		return nil
	}
	kind := byte('f')
	if info.Mode()&0o111 != 0 {
		kind = 'x'
	}
	sum, err := fileSum(p)
	if err != nil {
		return err
	}
	writeRecord(h, kind, rel)
	h.Write(sum)
	return nil
}

func writeRecord(h hash.Hash, kind byte, rel string) {
	h.Write([]byte{kind})
	h.Write([]byte(rel))
	h.Write([]byte{0})
}

// fileSum is the SHA-256 of a file's content.
func fileSum(p string) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	h := sha256.New()
	buf := bufPool.Get().(*[]byte)
	defer bufPool.Put(buf)
	if _, err := io.CopyBuffer(h, f, *buf); err != nil {
		return nil, err
	}
	return h.Sum(nil), nil
}

// sourceDigest hashes a path a step reads: its content, or "missing". Folders in skip
// (absolute) and version control folders are left out.
func sourceDigest(p string, skipAbs []string) (string, error) {
	d, err := treeDigest(p, func(abs string) bool {
		if vcsDirs[filepath.Base(abs)] {
			return true
		}
		for _, s := range skipAbs {
			if abs == s {
				return true
			}
		}
		return false
	})
	if errors.Is(err, fs.ErrNotExist) {
		return missing, nil
	}
	return d, err
}

// digestLines hashes lines after sorting them; each line is NUL-terminated.
func digestLines(lines []string) string {
	sort.Strings(lines)
	h := sha256.New()
	for _, l := range lines {
		h.Write([]byte(l))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}
