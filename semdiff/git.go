package semdiff

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/wurzel-dev/wurzel/engine"
)

// Limits of the search for files no longer rendered (as engine.Compare's).
const (
	maxScanDepth = 6
	maxBlob      = 16 << 20
)

// GitError is a revision or repository that cannot be read.
type GitError struct{ Msg string }

func (e *GitError) Error() string { return e.Msg }

// CompareGit compares a fresh render with the files committed under dir at revision rev of
// the git repository around the working directory, as engine.Compare does with the files on
// disk: stale, edited and missing files, and extra ones (committed files whose header says
// they were generated from the same pipeline, that the render no longer produces).
func CompareGit(ctx context.Context, rev, dir string, files []engine.File) ([]engine.Drift, error) {
	if rev == "" || strings.HasPrefix(rev, "-") {
		return nil, &GitError{fmt.Sprintf("--rev %q: give a commit, branch or tag", rev)}
	}
	top, err := git(ctx, "", nil, "rev-parse", "--show-toplevel")
	if err != nil {
		return nil, &GitError{"--rev needs a git repository: " + err.Error()}
	}
	top = strings.TrimSpace(top)
	commit, err := git(ctx, top, nil, "rev-parse", "--verify", "--quiet", "--end-of-options", rev+"^{commit}")
	if err != nil {
		return nil, &GitError{fmt.Sprintf("unknown revision %q (fetch it first, for example git fetch origin %s)", rev, rev)}
	}
	commit = strings.TrimSpace(commit)
	rel, err := repoPath(top, dir)
	if err != nil {
		return nil, err
	}
	args := []string{"ls-tree", "-r", "-z", "--long", "--full-tree", commit}
	if rel != "." {
		args = append(args, "--", rel)
	}
	listing, err := git(ctx, top, nil, args...)
	if err != nil {
		return nil, fmt.Errorf("listing %s at %s: %w", dir, rev, err)
	}
	type entry struct {
		oid  string
		size int
		blob bool
	}
	tree := map[string]entry{} // path relative to dir
	for _, rec := range strings.Split(listing, "\x00") {
		meta, p, ok := strings.Cut(rec, "\t")
		if !ok {
			continue
		}
		f := strings.Fields(meta) // mode type oid size
		if len(f) != 4 {
			continue
		}
		size, _ := strconv.Atoi(f[3])
		r := p
		if rel != "." {
			r = strings.TrimPrefix(p, rel+"/")
		}
		tree[r] = entry{oid: f[2], size: size, blob: f[1] == "blob" && f[0] != "120000"}
	}
	rendered := map[string]bool{}
	var want []string
	for _, f := range files {
		rendered[f.Path] = true
		if e, ok := tree[f.Path]; ok && e.blob {
			want = append(want, e.oid)
		}
	}
	from := ""
	if len(files) > 0 {
		h, _ := ParseHeader(files[0].Body)
		from = h.Pipeline
	}
	var candidates []string
	if from != "" {
		for p, e := range tree {
			if rendered[p] || !e.blob || e.size > maxBlob || skipped(p) {
				continue
			}
			candidates = append(candidates, p)
			want = append(want, e.oid)
		}
		sort.Strings(candidates)
	}
	blobs, err := catFiles(ctx, top, want)
	if err != nil {
		return nil, fmt.Errorf("reading %s at %s: %w", dir, rev, err)
	}
	var drift []engine.Drift
	for _, f := range files {
		e, ok := tree[f.Path]
		if !ok || !e.blob {
			drift = append(drift, engine.Drift{Kind: engine.Missing, Path: f.Path, Want: f.Body})
			continue
		}
		got := blobs[e.oid]
		if bytes.Equal(got, f.Body) {
			continue
		}
		kind := engine.Stale
		if h := engine.InputsHash(got); h != "" && h == engine.InputsHash(f.Body) {
			kind = engine.Edited
		}
		drift = append(drift, engine.Drift{Kind: kind, Path: f.Path, Want: f.Body, Got: got})
	}
	for _, p := range candidates {
		got := blobs[tree[p].oid]
		if h, ok := ParseHeader(got); ok && h.Pipeline == from {
			drift = append(drift, engine.Drift{Kind: engine.Extra, Path: p, Got: got})
		}
	}
	sort.Slice(drift, func(i, j int) bool { return drift[i].Path < drift[j].Path })
	return drift, nil
}

// skipped reports whether the search for extra files leaves a path out, as engine.Compare
// does: deep paths, and .git, node_modules and data folders.
func skipped(p string) bool {
	parts := strings.Split(p, "/")
	if len(parts)-1 > maxScanDepth {
		return true
	}
	for _, d := range parts[:len(parts)-1] {
		if d == ".git" || d == "node_modules" || d == "data" {
			return true
		}
	}
	return false
}

// repoPath returns dir relative to the repository's top folder, slash-separated.
func repoPath(top, dir string) (string, error) {
	realTop, err := filepath.EvalSymlinks(top)
	if err != nil {
		return "", err
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	} else if wd, werr := os.Getwd(); werr == nil && !filepath.IsAbs(dir) {
		if realWd, err := filepath.EvalSymlinks(wd); err == nil {
			abs = filepath.Join(realWd, dir)
		}
	}
	rel, err := filepath.Rel(realTop, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", &GitError{fmt.Sprintf("-o %s is outside the git repository at %s", dir, top)}
	}
	return path.Clean(filepath.ToSlash(rel)), nil
}

// git runs a git command in dir and returns its standard output.
func git(ctx context.Context, dir string, stdin io.Reader, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Dir = dir
	cmd.Stdin = stdin
	cmd.Env = append(os.Environ(), "GIT_TERMINAL_PROMPT=0", "LC_ALL=C")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(errb.String())
		if msg == "" {
			msg = err.Error()
		}
		return "", errors.New(msg)
	}
	return out.String(), nil
}

// catFiles reads blobs by object ID with one git cat-file --batch.
func catFiles(ctx context.Context, top string, oids []string) (map[string][]byte, error) {
	out := map[string][]byte{}
	if len(oids) == 0 {
		return out, nil
	}
	cmd := exec.CommandContext(ctx, "git", "cat-file", "--batch")
	cmd.Dir = top
	cmd.Stdin = strings.NewReader(strings.Join(oids, "\n") + "\n")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	var errb bytes.Buffer
	cmd.Stderr = &errb
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	r := bufio.NewReader(stdout)
	var readErr error
	for range oids {
		head, err := r.ReadString('\n')
		if err != nil {
			readErr = err
			break
		}
		f := strings.Fields(head) // oid type size, or "oid missing"
		if len(f) != 3 {
			continue
		}
		size, err := strconv.Atoi(f[2])
		if err != nil {
			readErr = fmt.Errorf("git cat-file: unexpected %q", head)
			break
		}
		body := make([]byte, size+1) // and the newline after it
		if _, err := io.ReadFull(r, body); err != nil {
			readErr = err
			break
		}
		out[f[0]] = body[:size]
	}
	_, _ = io.Copy(io.Discard, r)
	if err := cmd.Wait(); err != nil {
		return nil, fmt.Errorf("git cat-file: %v %s", err, strings.TrimSpace(errb.String()))
	}
	return out, readErr
}
