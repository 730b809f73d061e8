// Command wurzel-release builds the release archives of a commit: wurzel for linux and
// darwin on amd64 and arm64, each in a .tar.gz with the README, and SHA256SUMS.
//
//	wurzel-release [-rev v1.2.3] -o dist/release
//	wurzel-release -snapshot -o dist/snapshot     a commit without release tag (version dev)
//
// The binaries are compiled from a clean export of the commit with the flags of the images
// (static, -trimpath, version, commit and commit time stamped), so building a commit twice
// gives the same bytes. The binary of this machine's platform is run once to check that
// `wurzel version` names the commit.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/wurzel-dev/wurzel/build/internal/release"
	"github.com/wurzel-dev/wurzel/build/internal/source"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "wurzel-release:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("wurzel-release", flag.ContinueOnError)
	repo := fs.String("C", ".", "a folder of the wurzel git repository")
	rev := fs.String("rev", "HEAD", "the commit to build (a hash, tag or branch)")
	version := fs.String("version", "", "the version to stamp (default: the release tag on the commit, else dev)")
	snapshot := fs.Bool("snapshot", false, "allow a commit without release tag (version dev)")
	platforms := fs.String("platform", "", "comma-separated platforms (default: linux and darwin, amd64 and arm64)")
	gocache := fs.String("gocache", "", "the Go build cache to compile with (default: go's own)")
	out := fs.String("o", "", "the folder to write (must not exist)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" || fs.NArg() != 0 {
		return errors.New("want -o DIR and no arguments")
	}
	info, err := source.Resolve(ctx, *repo, *rev, *version, os.Getenv("SOURCE_DATE_EPOCH"))
	if err != nil {
		return err
	}
	if info.Version == "dev" && !*snapshot {
		return fmt.Errorf("commit %s has no release tag (v1.2.3): tag it, pass -version, or build a -snapshot", info.Commit)
	}
	plats := release.Platforms
	if *platforms != "" {
		plats = nil
		for _, s := range strings.Split(*platforms, ",") {
			p, err := source.ParsePlatform(s)
			if err != nil {
				return err
			}
			plats = append(plats, p)
		}
	}
	tmp, err := os.MkdirTemp("", "wurzel-release-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	src := filepath.Join(tmp, "src")
	if err := source.Export(ctx, *repo, info.Commit, src); err != nil {
		return err
	}
	readme, err := os.ReadFile(filepath.Join(src, "README.md"))
	if err != nil {
		return fmt.Errorf("the commit has no README.md: %w", err)
	}
	extra := map[string][]byte{"README.md": readme}
	if license, err := os.ReadFile(filepath.Join(src, "LICENSE")); err == nil {
		extra["LICENSE"] = license
	}
	var bins []release.Binary
	for _, p := range plats {
		start := time.Now()
		bin := filepath.Join(tmp, "wurzel-"+p.OS+"-"+p.Arch)
		if err := source.Build(ctx, src, info, p, bin, *gocache); err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "built wurzel %s for %s in %.0fs\n", info.Version, p, time.Since(start).Seconds())
		if p.OS == runtime.GOOS && p.Arch == runtime.GOARCH {
			if err := checkVersion(ctx, bin, info); err != nil {
				return err
			}
		}
		body, err := os.ReadFile(bin)
		if err != nil {
			return err
		}
		bins = append(bins, release.Binary{Platform: p, Body: body})
	}
	sums, err := release.Write(*out, info, bins, extra)
	if err != nil {
		return err
	}
	fmt.Printf("wrote %s: wurzel %s, commit %s, %s\n%s", *out, info.Version, info.Commit, info.Date(), sums)
	return nil
}

// checkVersion runs `wurzel version -o json` and compares it with info.
func checkVersion(ctx context.Context, bin string, info source.Info) error {
	out, err := exec.CommandContext(ctx, bin, "version", "-o", "json").Output()
	if err != nil {
		return fmt.Errorf("%s version -o json: %w", bin, err)
	}
	var got struct{ Version, Commit, Date string }
	if err := json.Unmarshal(out, &got); err != nil {
		return fmt.Errorf("%s version -o json: %w", bin, err)
	}
	if got.Version != info.Version || got.Commit != info.Commit || got.Date != info.Date() {
		return fmt.Errorf("the built binary says version %q commit %q date %q, want %q %q %q", got.Version, got.Commit, got.Date, info.Version, info.Commit, info.Date())
	}
	return nil
}
