package source

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
)

// Platform is an operating system and architecture, as in GOOS/GOARCH.
type Platform struct{ OS, Arch string }

func (p Platform) String() string { return p.OS + "/" + p.Arch }

// ParsePlatform reads "linux/amd64".
func ParsePlatform(s string) (Platform, error) {
	os, arch, ok := strings.Cut(s, "/")
	if !ok || os == "" || arch == "" || strings.Contains(arch, "/") {
		return Platform{}, fmt.Errorf("platform %q: want OS/ARCH such as linux/amd64", s)
	}
	return Platform{OS: os, Arch: arch}, nil
}

// LDFlags are the linker flags of every wurzel binary: no symbol table or DWARF (smaller,
// and nothing in them names the build machine), and the version variables of package cmd.
func LDFlags(i Info) string { return ldflags(i.Version, i.Commit, i.Date()) }

func ldflags(version, commit, date string) string {
	return strings.Join([]string{
		"-s", "-w",
		"-X", Module + "/cmd.version=" + version,
		"-X", Module + "/cmd.commit=" + commit,
		"-X", Module + "/cmd.date=" + date,
	}, " ")
}

// fixedEnv are the variables BuildEnv sets whatever the platform.
var fixedEnv = []string{"CGO_ENABLED=0", "GOFLAGS=-mod=readonly", "GOAMD64=v1", "GOARM64=v8.0"}

// BuildArgs are the go build arguments that write the wurzel binary to out.
func BuildArgs(i Info, out string) []string {
	return []string{"build", "-trimpath", "-buildvcs=false", "-ldflags=" + LDFlags(i), "-o", out, "./cmd/wurzel"}
}

// BuildEnv is the environment of go build for p: the caller's, with every variable that
// changes the output bytes set. GOFLAGS, GOEXPERIMENT and the like are cleared, so a
// developer's settings cannot make a different binary.
func BuildEnv(environ []string, p Platform, gocache string) []string {
	drop := map[string]bool{
		"GOOS": true, "GOARCH": true, "CGO_ENABLED": true, "GOFLAGS": true, "GOEXPERIMENT": true,
		"GOAMD64": true, "GOARM64": true, "GOARM": true, "GO386": true, "GOTOOLCHAIN": true,
		"GOCACHE": gocache != "", "CC": true, "CGO_CFLAGS": true, "CGO_LDFLAGS": true,
	}
	var env []string
	for _, kv := range environ {
		k, _, _ := strings.Cut(kv, "=")
		if !drop[k] {
			env = append(env, kv)
		}
	}
	env = append(env, "GOOS="+p.OS, "GOARCH="+p.Arch)
	env = append(env, fixedEnv...)
	env = append(env, "GOTOOLCHAIN=local")
	if gocache != "" {
		env = append(env, "GOCACHE="+gocache)
	}
	return env
}

// Build compiles wurzel from the export at dir for p into out. gocache, when not empty, is
// the Go build cache to use (a fresh one proves the binary does not depend on cached work).
func Build(ctx context.Context, dir string, i Info, p Platform, out, gocache string) error {
	cmd := exec.CommandContext(ctx, "go", BuildArgs(i, out)...)
	cmd.Dir = dir
	cmd.Env = BuildEnv(os.Environ(), p, gocache)
	var output bytes.Buffer
	cmd.Stdout, cmd.Stderr = &output, &output
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go build for %s: %w\n%s", p, err, strings.TrimSpace(output.String()))
	}
	return nil
}

// GoVersion is the version of the go command on PATH, such as go1.26.8.
func GoVersion(ctx context.Context) (string, error) {
	out, err := exec.CommandContext(ctx, "go", "env", "GOVERSION").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOVERSION: %w", err)
	}
	return strings.TrimSpace(string(out)), nil
}
