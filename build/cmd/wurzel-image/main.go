// Command wurzel-image builds the wurzel container images without a container engine and
// verifies them.
//
//	wurzel-image build [flags] -o DIR    write the images of a commit as an OCI image layout
//	wurzel-image verify [flags] DIR      check a layout and run its images as the packs do
//	wurzel-image rootfs [flags] -o DIR   write the images' files to a folder (for the Dockerfile)
//
// build compiles wurzel from a clean export of the commit (-rev, default HEAD) for each
// -platform and writes two tags to the layout: <version> (the static binary, CA certificates
// and a non-root user on an empty base) and <version>-shell (the same plus the static busybox
// given with -busybox, for GitLab CI). <version> is the release tag on the commit, else
// "latest", as `wurzel render` names it. Every time in the images is the commit time, or
// SOURCE_DATE_EPOCH when set: building the same commit twice gives the same digests.
//
// verify needs root to run the images' binaries chrooted into their filesystem as the
// images' non-root user; without root it runs fewer checks and says which.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"time"

	"github.com/wurzel-dev/wurzel/build/internal/image"
	"github.com/wurzel-dev/wurzel/build/internal/source"
	"github.com/wurzel-dev/wurzel/build/internal/verify"
)

const usage = `usage:
  wurzel-image build [flags] -o DIR
  wurzel-image verify [flags] DIR
  wurzel-image rootfs [-wurzel FILE] [-busybox FILE] -o DIR
Run "wurzel-image COMMAND -h" for the flags.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "wurzel-image:", err)
		var u usageError
		if errors.As(err, &u) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

type usageError struct{ error }

func run(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return usageError{errors.New("missing command\n" + usage)}
	}
	switch args[0] {
	case "build":
		return runBuild(ctx, args[1:])
	case "verify":
		return runVerify(ctx, args[1:])
	case "rootfs":
		return runRootfs(args[1:])
	case "-h", "-help", "--help", "help":
		fmt.Print(usage)
		return nil
	}
	return usageError{fmt.Errorf("unknown command %q\n%s", args[0], usage)}
}

// common are the flags both commands share: which commit, which version, which name.
type common struct {
	repo, rev, version, repository string
}

func (c *common) register(fs *flag.FlagSet) {
	fs.StringVar(&c.repo, "C", ".", "a folder of the wurzel git repository")
	fs.StringVar(&c.rev, "rev", "HEAD", "the commit to build (a hash, tag or branch)")
	fs.StringVar(&c.version, "version", "", "the version to stamp (default: the release tag on the commit, else dev)")
	fs.StringVar(&c.repository, "repository", image.DefaultRepository, "the image name without tag")
}

func (c *common) resolve(ctx context.Context) (source.Info, error) {
	return source.Resolve(ctx, c.repo, c.rev, c.version, os.Getenv("SOURCE_DATE_EPOCH"))
}

// busyboxFlag collects -busybox PLATFORM=FILE.
type busyboxFlag map[string]string

func (b busyboxFlag) String() string { return "" }

func (b busyboxFlag) Set(s string) error {
	plat, file, ok := strings.Cut(s, "=")
	if _, err := source.ParsePlatform(plat); err != nil || !ok || file == "" {
		return fmt.Errorf("want PLATFORM=FILE such as linux/amd64=busybox-amd64")
	}
	b[plat] = file
	return nil
}

func runBuild(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("build", flag.ContinueOnError)
	var c common
	c.register(fs)
	out := fs.String("o", "", "the OCI image layout folder to write (must not exist)")
	platforms := fs.String("platform", "linux/amd64,linux/arm64", "comma-separated platforms")
	busybox := busyboxFlag{}
	fs.Var(busybox, "busybox", "PLATFORM=FILE: a static busybox for the -shell variant (repeat for each platform; none: no -shell variant)")
	shellName := fs.String("shell-name", "busybox", "what the busybox is, for the -shell variant's labels")
	gocache := fs.String("gocache", "", "the Go build cache to compile with (default: go's own)")
	if err := fs.Parse(args); err != nil {
		return usageError{err}
	}
	if *out == "" || fs.NArg() != 0 {
		return usageError{errors.New("build: want -o DIR and no arguments")}
	}
	info, err := c.resolve(ctx)
	if err != nil {
		return err
	}
	goVersion, err := source.GoVersion(ctx)
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "wurzel-image-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	src := filepath.Join(tmp, "src")
	if err := source.Export(ctx, c.repo, info.Commit, src); err != nil {
		return err
	}
	spec := image.Spec{Repository: c.repository, Source: info, GoVersion: goVersion, Shell: *shellName}
	for _, s := range strings.Split(*platforms, ",") {
		p, err := source.ParsePlatform(s)
		if err != nil {
			return usageError{err}
		}
		start := time.Now()
		bin := filepath.Join(tmp, "wurzel-"+p.OS+"-"+p.Arch)
		if err := source.Build(ctx, src, info, p, bin, *gocache); err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "built wurzel %s for %s in %.0fs\n", info.Version, p, time.Since(start).Seconds())
		pf := image.Platform{Platform: p}
		if pf.Wurzel, err = os.ReadFile(bin); err != nil {
			return err
		}
		if f, ok := busybox[p.String()]; ok {
			if pf.Busybox, err = os.ReadFile(f); err != nil {
				return fmt.Errorf("busybox for %s: %w", p, err)
			}
			delete(busybox, p.String())
		}
		spec.Platforms = append(spec.Platforms, pf)
	}
	for p := range busybox {
		return usageError{fmt.Errorf("-busybox %s: not one of the platforms %s", p, *platforms)}
	}
	r, err := image.Build(spec)
	if err != nil {
		return err
	}
	if err := image.WriteLayout(*out, r); err != nil {
		return err
	}
	sum, err := image.Summary(r)
	if err != nil {
		return err
	}
	fmt.Printf("wrote %s: wurzel %s, commit %s, %s\n%s", *out, info.Version, info.Commit, info.Date(), sum)
	return nil
}

func runVerify(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	var c common
	c.register(fs)
	example := fs.String("example", "examples/pipelinedemo", "the example pipeline's folder in the repository")
	requireShell := fs.Bool("require-shell", true, "fail when the layout has no -shell variant")
	if err := fs.Parse(args); err != nil {
		return usageError{err}
	}
	if fs.NArg() != 1 {
		return usageError{errors.New("verify: want the layout folder as the one argument")}
	}
	info, err := c.resolve(ctx)
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "wurzel-verify-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	project := filepath.Join(tmp, "project")
	if err := source.Export(ctx, c.repo, info.Commit, project); err != nil {
		return err
	}
	work := filepath.Join(tmp, "work")
	if err := os.Mkdir(work, 0o755); err != nil {
		return err
	}
	fmt.Printf("verifying %s against wurzel %s, commit %s\n", fs.Arg(0), info.Version, info.Commit)
	n, err := verify.Run(ctx, verify.Options{
		Layout: fs.Arg(0), Repository: c.repository, Expect: info, Project: project,
		Example: *example, Work: work, RequireShell: *requireShell, Log: os.Stdout,
	})
	if err != nil {
		return fmt.Errorf("verify %s: %w", fs.Arg(0), err)
	}
	fmt.Printf("%d checks passed\n", n)
	return nil
}

func runRootfs(args []string) error {
	fs := flag.NewFlagSet("rootfs", flag.ContinueOnError)
	wurzel := fs.String("wurzel", "", "the wurzel binary: write the base image's files")
	busybox := fs.String("busybox", "", "a static busybox: write the -shell variant's files")
	out := fs.String("o", "", "the folder to write into")
	if err := fs.Parse(args); err != nil {
		return usageError{err}
	}
	if *out == "" || fs.NArg() != 0 || (*wurzel == "" && *busybox == "") {
		return usageError{errors.New("rootfs: want -o DIR, -wurzel FILE and/or -busybox FILE, and no arguments")}
	}
	var w, b []byte
	var err error
	if *wurzel != "" {
		if w, err = os.ReadFile(*wurzel); err != nil {
			return err
		}
	}
	if *busybox != "" {
		if b, err = os.ReadFile(*busybox); err != nil {
			return err
		}
	}
	entries, err := image.Entries(w, b)
	if err != nil {
		return err
	}
	return image.WriteRootfs(*out, entries)
}
