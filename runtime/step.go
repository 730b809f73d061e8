package runtime

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/wurzel-dev/wurzel/internal/atomicfile"
	"github.com/wurzel-dev/wurzel/settings"
	"github.com/wurzel-dev/wurzel/steps"
)

// RunStep runs the built-in step opts.Step once per input file and writes its output
// folder atomically (see the package comment). Errors name the step; invalid settings
// are a *settings.Error, invalid calls an *InvalidError.
func RunStep(ctx context.Context, opts Options) (Report, error) {
	start := time.Now()
	t, err := Resolve(opts.Step)
	if err != nil {
		return Report{}, err
	}
	name := cmp.Or(opts.Name, t.Name)
	rep := Report{Step: t.Name, Name: name, Output: opts.Output, RunID: runID(opts.Environ)}
	fail := func(err error) (Report, error) { return rep, fmt.Errorf("step %s: %w", name, err) }

	if opts.Output == "" {
		return rep, invalidf("step %s: no output folder (-o)", name)
	}
	if t.IsSource() && len(opts.Inputs) > 0 {
		return rep, invalidf("step %s: %s is a source step and reads no input; remove -i", name, t.Name)
	}
	if !t.IsSource() && len(opts.Inputs) == 0 {
		return rep, invalidf("step %s: %s reads %s; give at least one input folder with -i", name, t.Name, t.Input)
	}
	outCodec, ok := codecFor(t.Output)
	if !ok {
		return fail(fmt.Errorf("no writer for %s data", t.Output))
	}
	var inCodec Codec
	var files []string
	if !t.IsSource() {
		if inCodec, ok = codecFor(t.Input); !ok {
			return fail(fmt.Errorf("no reader for %s data", t.Input))
		}
		if files, err = inputFiles(opts.Inputs); err != nil {
			return rep, fmt.Errorf("step %s: %w", name, err)
		}
		for _, f := range files {
			if ext := filepath.Ext(f); ext != inCodec.Ext {
				return rep, invalidf("step %s: input file %s: %s reads %s (%s files), not %q files", name, f, t.Name, t.Input, inCodec.Ext, ext)
			}
		}
	}

	prefix := cmp.Or(opts.EnvPrefix, strings.ToUpper(t.Name))
	vals, err := settings.FromEnv(opts.Environ, prefix, t.Settings, settings.Options{
		Defaults: opts.Defaults, AllowExtra: opts.AllowExtra, Unprefixed: opts.Unprefixed,
	})
	if err != nil {
		return fail(err)
	}
	if t.New == nil {
		return fail(errors.New("step type cannot run (no constructor)"))
	}
	step, err := t.New(vals)
	if err != nil {
		return fail(nameVariables(err, prefix, opts.Unprefixed))
	}

	dir, err := atomicfile.CreateDir(opts.Output)
	if err != nil {
		return fail(err)
	}
	defer dir.Discard()

	names := outputNames(t.Name, files, outCodec.Ext)
	calls := files
	if t.IsSource() {
		calls = []string{""}
	}
	for i, in := range calls {
		if err := ctx.Err(); err != nil {
			return fail(fmt.Errorf("interrupted: %w", err))
		}
		fr := FileReport{Input: in, Output: names[i]}
		var data steps.Data
		if in != "" {
			t0 := time.Now()
			if data, err = readFile(inCodec, in); err != nil {
				return fail(fmt.Errorf("reading input %s: %w", in, err))
			}
			fr.Load = time.Since(t0)
			fr.ItemsIn = count(data)
		}
		t0 := time.Now()
		data.Consume = true // read once: the step may free what it has processed
		out, err := step.Run(ctx, data)
		if err != nil {
			if in == "" {
				return fail(err)
			}
			return fail(fmt.Errorf("processing %s: %w", in, err))
		}
		fr.Run = time.Since(t0)
		fr.ItemsOut = count(out)
		t0 = time.Now()
		if err := writeFile(outCodec, filepath.Join(dir.Path(), names[i]), out); err != nil {
			return fail(fmt.Errorf("writing %s: %w", names[i], err))
		}
		fr.Save = time.Since(t0)
		rep.Files = append(rep.Files, fr)
		rep.ItemsIn += fr.ItemsIn
		rep.ItemsOut += fr.ItemsOut
		rep.Load += fr.Load
		rep.Run += fr.Run
		rep.Save += fr.Save
	}
	if err := ctx.Err(); err != nil {
		return fail(fmt.Errorf("interrupted: %w", err))
	}
	if err := dir.Commit(); err != nil {
		return fail(err)
	}
	rep.Total = time.Since(start)
	return rep, nil
}

// inputFiles lists the files of the input folders: folders in the order given, files
// sorted by name, dot files skipped. Symlinks to files are followed (DVC links outputs
// into its cache); anything but a regular file is an error.
func inputFiles(dirs []string) ([]string, error) {
	var out []string
	for _, d := range dirs {
		fi, err := os.Stat(d)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return nil, invalidf("input folder %s does not exist", d)
		case err != nil:
			return nil, fmt.Errorf("input folder %s: %w", d, err)
		case !fi.IsDir():
			return nil, invalidf("input %s is not a folder", d)
		}
		entries, err := os.ReadDir(d)
		if err != nil {
			return nil, fmt.Errorf("reading input folder %s: %w", d, err)
		}
		names := make([]string, 0, len(entries))
		for _, e := range entries {
			if !strings.HasPrefix(e.Name(), ".") {
				names = append(names, e.Name())
			}
		}
		sort.Strings(names)
		for _, n := range names {
			p := filepath.Join(d, n)
			fi, err := os.Stat(p)
			if err != nil {
				return nil, fmt.Errorf("input %s: %w", p, err)
			}
			if !fi.Mode().IsRegular() {
				return nil, invalidf("input %s is not a regular file; steps read the files of their input folders only", p)
			}
			out = append(out, p)
		}
	}
	return out, nil
}

func readFile(c Codec, path string) (steps.Data, error) {
	f, err := os.Open(path)
	if err != nil {
		return steps.Data{}, err
	}
	defer f.Close()
	return c.Read(f)
}

// writeFile writes one output file into the temp output folder; Dir.Commit syncs it.
func writeFile(c Codec, path string, d steps.Data) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if err := c.Write(f, d); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}

// nameVariables rewrites the problems a step constructor reports about its fields (whose
// Source is the bare field name, as the step cannot know its prefix) to name the variable:
// "TOKEN_COUNT_MIN: …" becomes "environment variable SIMPLESPLITTERSTEP__TOKEN_COUNT_MIN: …".
func nameVariables(err error, prefix string, unprefixed bool) error {
	var se *settings.Error
	if !errors.As(err, &se) {
		return err
	}
	out := &settings.Error{Problems: make([]settings.Problem, len(se.Problems))}
	for i, p := range se.Problems {
		if p.Source != "" && !strings.ContainsAny(p.Source, " :") {
			name := prefix + "__" + p.Source
			if unprefixed {
				name = p.Source
			}
			p.Source = "environment variable " + name
		}
		out.Problems[i] = p
	}
	return out
}
