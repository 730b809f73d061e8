package source

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestImageTag(t *testing.T) {
	tests := []struct{ version, want string }{
		{"", "latest"},
		{"dev", "latest"},
		{"v1.2.3", "v1.2.3"},
		{"v1.2.3-rc.1", "v1.2.3-rc.1"},
		{"v1.2.3+dirty", "latest"},
		{"v0.0.0-20261101120000-abcdef123456", "latest"}, // a pseudo-version names no published tag
	}
	for _, tt := range tests {
		if got := ImageTag(tt.version); got != tt.want {
			t.Errorf("ImageTag(%q) = %q, want %q", tt.version, got, tt.want)
		}
	}
}

func TestCheckVersion(t *testing.T) {
	for _, ok := range []string{"dev", "v1.2.3", "v0.10.0-rc.1", "v1.0.0-beta"} {
		if err := CheckVersion(ok); err != nil {
			t.Errorf("CheckVersion(%q): %v", ok, err)
		}
	}
	for _, bad := range []string{"", "1.2.3", "v1.2", "latest", "v1.2.3+meta", "v1.2.3 "} {
		err := CheckVersion(bad)
		want := `version "` + bad + `": want dev or a tag such as v1.2.3 or v1.2.3-rc.1`
		if err == nil || err.Error() != want {
			t.Errorf("CheckVersion(%q) = %v, want %q", bad, err, want)
		}
	}
}

func TestLDFlags(t *testing.T) {
	i := Info{Version: "v1.2.3", Commit: "0123456789abcdef0123456789abcdef01234567", Time: time.Unix(1793534400, 0)}
	want := "-s -w -X github.com/wurzel-dev/wurzel/cmd.version=v1.2.3 -X github.com/wurzel-dev/wurzel/cmd.commit=0123456789abcdef0123456789abcdef01234567 -X github.com/wurzel-dev/wurzel/cmd.date=2026-11-01T12:00:00Z"
	if got := LDFlags(i); got != want {
		t.Errorf("LDFlags:\n got %s\nwant %s", got, want)
	}
	args := BuildArgs(i, "/out/wurzel")
	if !slices.Equal(args[:3], []string{"build", "-trimpath", "-buildvcs=false"}) || args[len(args)-1] != "./cmd/wurzel" {
		t.Errorf("BuildArgs = %q", args)
	}
}

func TestBuildEnv(t *testing.T) {
	env := BuildEnv([]string{"PATH=/usr/bin", "HOME=/root", "GOFLAGS=-race", "GOAMD64=v3", "CGO_ENABLED=1", "GOEXPERIMENT=x", "GOCACHE=/c"}, Platform{"linux", "arm64"}, "")
	want := []string{"PATH=/usr/bin", "HOME=/root", "GOCACHE=/c",
		"GOOS=linux", "GOARCH=arm64", "CGO_ENABLED=0", "GOFLAGS=-mod=readonly", "GOAMD64=v1", "GOARM64=v8.0", "GOTOOLCHAIN=local"}
	if !slices.Equal(env, want) {
		t.Errorf("BuildEnv:\n got %q\nwant %q", env, want)
	}
	env = BuildEnv([]string{"GOCACHE=/c"}, Platform{"darwin", "amd64"}, "/fresh")
	if env[0] == "GOCACHE=/c" || env[len(env)-1] != "GOCACHE=/fresh" {
		t.Errorf("BuildEnv with a cache: %q, want GOCACHE=/fresh only", env)
	}
}

func TestParsePlatform(t *testing.T) {
	if p, err := ParsePlatform("linux/arm64"); err != nil || p != (Platform{"linux", "arm64"}) || p.String() != "linux/arm64" {
		t.Errorf("ParsePlatform(linux/arm64) = %v, %v", p, err)
	}
	for _, bad := range []string{"linux", "linux/", "/amd64", "linux/arm/v7", ""} {
		want := `platform "` + bad + `": want OS/ARCH such as linux/amd64`
		if _, err := ParsePlatform(bad); err == nil || err.Error() != want {
			t.Errorf("ParsePlatform(%q) = %v, want %q", bad, err, want)
		}
	}
}

// gitRepo makes a repository with one commit at 2026-11-01T12:00:00Z and returns its folder
// and a function that runs git in it.
func gitRepo(t *testing.T) (string, func(...string)) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	dir := t.TempDir()
	run := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_DATE=2026-11-01T12:00:00Z", "GIT_COMMITTER_DATE=2026-11-01T12:00:00Z",
			"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	run("init", "-q")
	if err := os.WriteFile(filepath.Join(dir, "README.md"), []byte("readme\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "bin"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "bin", "run.sh"), []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	run("add", ".")
	run("commit", "-q", "-m", "first")
	return dir, run
}

func TestResolve(t *testing.T) {
	repo, git := gitRepo(t)
	ctx := context.Background()
	commitTime := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)

	i, err := Resolve(ctx, repo, "HEAD", "", "")
	if err != nil {
		t.Fatal(err)
	}
	if i.Version != "dev" || len(i.Commit) != 40 || !i.Time.Equal(commitTime) || i.Date() != "2026-11-01T12:00:00Z" {
		t.Errorf("untagged: %+v, want dev at the commit time", i)
	}

	for _, tag := range []string{"not-a-release", "v0.9.0", "v0.10.0", "v0.10.0-rc.1", "v0.11"} {
		git("tag", tag)
	}
	if i, err = Resolve(ctx, repo, "HEAD", "", ""); err != nil || i.Version != "v0.10.0" {
		t.Errorf("tagged: %+v, %v; want the highest release tag v0.10.0", i, err)
	}
	if i, err = Resolve(ctx, repo, "HEAD", "v2.0.0", "1800000000"); err != nil || i.Version != "v2.0.0" || i.Time.Unix() != 1800000000 {
		t.Errorf("-version and SOURCE_DATE_EPOCH: %+v, %v", i, err)
	}

	errTests := []struct{ rev, version, epoch, want string }{
		{"HEAD", "", "yesterday", `SOURCE_DATE_EPOCH "yesterday": want seconds since 1970 (such as git log -1 --format=%ct)`},
		{"HEAD", "", "-5", `SOURCE_DATE_EPOCH "-5": want seconds since 1970 (such as git log -1 --format=%ct)`},
		{"HEAD", "1.0", "", `version "1.0": want dev or a tag such as v1.2.3 or v1.2.3-rc.1`},
		{"nosuchbranch", "", "", `resolving revision "nosuchbranch": git rev-parse --verify --quiet nosuchbranch^{commit}: exit status 1: no output`},
	}
	for _, tt := range errTests {
		if _, err := Resolve(ctx, repo, tt.rev, tt.version, tt.epoch); err == nil || err.Error() != tt.want {
			t.Errorf("Resolve(%s, %q, %q) = %v, want %q", tt.rev, tt.version, tt.epoch, err, tt.want)
		}
	}
}

func TestExport(t *testing.T) {
	repo, _ := gitRepo(t)
	// Uncommitted changes never reach an export.
	if err := os.WriteFile(filepath.Join(repo, "README.md"), []byte("changed\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(repo, "new.txt"), []byte("new\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(t.TempDir(), "src")
	if err := Export(context.Background(), repo, "HEAD", dst); err != nil {
		t.Fatal(err)
	}
	if data, err := os.ReadFile(filepath.Join(dst, "README.md")); err != nil || string(data) != "readme\n" {
		t.Errorf("README.md = %q, %v; want the committed text", data, err)
	}
	if _, err := os.Stat(filepath.Join(dst, "new.txt")); !os.IsNotExist(err) {
		t.Errorf("new.txt was exported: %v", err)
	}
	if info, err := os.Stat(filepath.Join(dst, "bin", "run.sh")); err != nil || info.Mode().Perm() != 0o755 {
		t.Errorf("bin/run.sh: %v, %v; want mode 755", info, err)
	}
	err := Export(context.Background(), repo, "HEAD", dst)
	if err == nil || !strings.HasSuffix(err.Error(), dst+" already exists") {
		t.Errorf("exporting into an existing folder: %v", err)
	}
}
