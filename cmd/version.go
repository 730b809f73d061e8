package cmd

import (
	"encoding/json"
	"fmt"
	"regexp"
	"runtime"
	"runtime/debug"
	"time"

	"github.com/spf13/cobra"
)

// Set with -ldflags "-X github.com/wurzel-dev/wurzel/cmd.version=v1.2.3 ...". Release builds
// (build/cmd/wurzel-release, the images, the Dockerfile) set all three; date is the commit
// time in RFC 3339 UTC, never the clock, so that a commit always builds the same bytes.
var (
	version = ""
	commit  = ""
	date    = ""
)

// BuildInfo describes the running binary.
type BuildInfo struct {
	Version string `json:"version"`
	Commit  string `json:"commit"`
	// Date is the time of the commit the binary was built from.
	Date string `json:"date"`
	// Modified is set when go build stamped a work tree with uncommitted changes.
	Modified  bool   `json:"modified,omitempty"`
	GoVersion string `json:"goVersion"`
	Platform  string `json:"platform"`
}

// Build returns the version information of this binary. Without ldflags it falls back to
// what go records: the module version of `go install ...@v1.2.3` (and the commit and time a
// pseudo-version names), the VCS stamp of a go build in a checkout, then to "dev".
func Build() BuildInfo {
	info, _ := debug.ReadBuildInfo()
	return buildInfo(version, commit, date, info)
}

// pseudoVersion matches the end of a Go pseudo-version: the commit time and the commit
// hash's first 12 digits (v0.0.0-20261101120000-0123456789ab).
var pseudoVersion = regexp.MustCompile(`[-.](\d{14})-([0-9a-f]{12})(\+.*)?$`)

func buildInfo(version, commit, date string, info *debug.BuildInfo) BuildInfo {
	b := BuildInfo{Version: version, Commit: commit, Date: date, Platform: runtime.GOOS + "/" + runtime.GOARCH}
	if info != nil {
		b.GoVersion = info.GoVersion
		if b.Version == "" && info.Main.Version != "" && info.Main.Version != "(devel)" {
			b.Version = info.Main.Version
		}
		for _, s := range info.Settings {
			switch {
			case s.Key == "vcs.revision" && b.Commit == "":
				b.Commit = s.Value
			case s.Key == "vcs.time" && b.Date == "":
				b.Date = s.Value
			case s.Key == "vcs.modified" && commit == "":
				b.Modified = s.Value == "true"
			}
		}
		if m := pseudoVersion.FindStringSubmatch(info.Main.Version); m != nil && b.Commit == "" && b.Version == info.Main.Version {
			b.Commit = m[2]
			if t, err := time.Parse("20060102150405", m[1]); err == nil && b.Date == "" {
				b.Date = t.Format(time.RFC3339)
			}
		}
	}
	if b.GoVersion == "" {
		b.GoVersion = runtime.Version()
	}
	if b.Version == "" {
		b.Version = "dev"
	}
	return b
}

func init() { subcommands = append(subcommands, newVersionCmd) }

func newVersionCmd() *cobra.Command {
	var output string
	c := &cobra.Command{
		Use:   "version",
		Short: "Print the version, commit and commit time of this binary",
		Long: `Print the version of this binary, the commit it was built from and that commit's time
(release builds stamp the commit time, not the time of the build, so that building a commit
twice gives the same binary), the Go release that compiled it and its platform.`,
		Example: `  wurzel version
  wurzel version -o json`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			b := Build()
			switch output {
			case "text", "":
				commit := orUnknown(b.Commit)
				if b.Modified {
					commit += " (with uncommitted changes)"
				}
				date := "unknown"
				if b.Date != "" {
					date = b.Date + " (commit time)"
				}
				fmt.Fprintf(c.OutOrStdout(), "wurzel %s\ncommit:   %s\ndate:     %s\ngo:       %s\nplatform: %s\n",
					b.Version, commit, date, b.GoVersion, b.Platform)
			case "json":
				enc := json.NewEncoder(c.OutOrStdout())
				enc.SetIndent("", "  ")
				return enc.Encode(b)
			default:
				return invalidf("unknown output format %q: want text or json", output)
			}
			return nil
		},
	}
	c.Flags().StringVarP(&output, "output", "o", "text", "output format: text or json")
	return c
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}
