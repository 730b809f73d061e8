package cmd

import (
	"runtime"
	"runtime/debug"
	"testing"
)

func TestBuildInfo(t *testing.T) {
	platform := runtime.GOOS + "/" + runtime.GOARCH
	const hash = "0123456789abcdef0123456789abcdef01234567"
	vcs := func(modified string) *debug.BuildInfo {
		return &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: hash}, {Key: "vcs.time", Value: "2026-11-01T12:00:00Z"}, {Key: "vcs.modified", Value: modified},
		}}
	}
	module := func(v string) *debug.BuildInfo {
		return &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: v}}
	}
	tests := []struct {
		name                  string
		version, commit, date string
		info                  *debug.BuildInfo
		want                  BuildInfo
	}{
		{"release build (ldflags)", "v1.2.3", hash, "2026-11-01T12:00:00Z", vcs("true"),
			BuildInfo{Version: "v1.2.3", Commit: hash, Date: "2026-11-01T12:00:00Z", GoVersion: "go1.26.8", Platform: platform}},
		{"go install @v1.2.3", "", "", "", module("v1.2.3"),
			BuildInfo{Version: "v1.2.3", GoVersion: "go1.26.8", Platform: platform}},
		{"go install @commit", "", "", "", module("v0.0.0-20261101120000-0123456789ab"),
			BuildInfo{Version: "v0.0.0-20261101120000-0123456789ab", Commit: "0123456789ab", Date: "2026-11-01T12:00:00Z", GoVersion: "go1.26.8", Platform: platform}},
		{"go install @commit after a pre-release", "", "", "", module("v1.2.4-rc.1.0.20261101120000-0123456789ab"),
			BuildInfo{Version: "v1.2.4-rc.1.0.20261101120000-0123456789ab", Commit: "0123456789ab", Date: "2026-11-01T12:00:00Z", GoVersion: "go1.26.8", Platform: platform}},
		{"go build in a clean checkout", "", "", "", vcs("false"),
			BuildInfo{Version: "dev", Commit: hash, Date: "2026-11-01T12:00:00Z", GoVersion: "go1.26.8", Platform: platform}},
		{"go build with uncommitted changes", "", "", "", vcs("true"),
			BuildInfo{Version: "dev", Commit: hash, Date: "2026-11-01T12:00:00Z", Modified: true, GoVersion: "go1.26.8", Platform: platform}},
		{"nothing known", "", "", "", nil,
			BuildInfo{Version: "dev", GoVersion: runtime.Version(), Platform: platform}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := buildInfo(tt.version, tt.commit, tt.date, tt.info); got != tt.want {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}
