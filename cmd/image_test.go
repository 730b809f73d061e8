package cmd

import "testing"

func TestDefaultImage(t *testing.T) {
	for version, want := range map[string]string{
		"v1.2.3":                             "ghcr.io/wurzel-dev/wurzel:v1.2.3",
		"v1.2.3-rc.1":                        "ghcr.io/wurzel-dev/wurzel:v1.2.3-rc.1",
		"dev":                                "ghcr.io/wurzel-dev/wurzel:latest",
		"":                                   "ghcr.io/wurzel-dev/wurzel:latest",
		"v0.0.0-20261122070000-abcdef123456": "ghcr.io/wurzel-dev/wurzel:latest",
		"v1.2.4-0.20261122070000-abcdef1234": "ghcr.io/wurzel-dev/wurzel:latest",
		"v1.2.3+dirty":                       "ghcr.io/wurzel-dev/wurzel:latest",
		"v1.2":                               "ghcr.io/wurzel-dev/wurzel:latest",
	} {
		if got := defaultImage(version); got != want {
			t.Errorf("defaultImage(%q) = %s, want %s", version, got, want)
		}
	}
}
