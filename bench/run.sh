#!/bin/sh
# Runs every wurzel benchmark on this machine and prints the tables (Markdown).
#
#   bench/run.sh                  everything (about 6 minutes on 2 cores, once Helm is installed)
#   bench/run.sh -quick           up to 1,000 steps, the 10 MB corpus, 3 runs (a few minutes)
#   bench/run.sh -only render,helm -runs 7
#   bench/run.sh -only baseline -baseline v0.3.0   renders against an earlier checkout, alternately
#
# Needs Go and network access to the Go module proxy. It builds wurzel from this checkout,
# installs Helm v3.22.0 with `go install` when no helm of that version is on the PATH, and
# keeps its work (generated pipelines, charts, corpora, outputs) in a temporary folder,
# removed at the end unless WURZEL_BENCH_KEEP=1. Every other flag is passed on to
# wurzel-bench (go run ./bench/cmd/wurzel-bench -h lists them).
set -eu

HELM_VERSION=v3.22.0
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"

work=${WURZEL_BENCH_WORK:-$(mktemp -d "${TMPDIR:-/tmp}/wurzel-bench.XXXXXX")}
mkdir -p "$work/bin"
# shellcheck disable=SC2317 # called by the trap
cleanup() {
	if [ "${WURZEL_BENCH_KEEP:-}" = 1 ]; then
		echo "wurzel-bench: work kept in $work" >&2
	else
		rm -rf "$work"
	fi
}
trap cleanup EXIT INT TERM

command -v go >/dev/null || { echo "bench/run.sh: Go is needed (https://go.dev/dl/)" >&2; exit 1; }

echo "wurzel-bench: building wurzel and the benchmark" >&2
go build -trimpath -o "$work/bin/wurzel" ./cmd/wurzel
go build -trimpath -o "$work/bin/wurzel-bench" ./bench/cmd/wurzel-bench
go build -trimpath -o "$work/bin/measure" ./bench/cmd/measure

# Helm: the one on the PATH if it is the pinned version, else a cached go install of it.
helm=""
if command -v helm >/dev/null 2>&1 && helm version --short 2>/dev/null | grep -q "^$HELM_VERSION"; then
	helm=$(command -v helm)
else
	cache=${XDG_CACHE_HOME:-$HOME/.cache}/wurzel-bench/helm-$HELM_VERSION
	if [ ! -x "$cache/helm" ]; then
		echo "wurzel-bench: installing Helm $HELM_VERSION with go install (about two minutes)" >&2
		mkdir -p "$cache"
		GOBIN="$cache" GOFLAGS='' go install "helm.sh/helm/v3/cmd/helm@$HELM_VERSION"
	fi
	helm=$cache/helm
fi

# -quick: smaller sizes and fewer runs; flags given after it still win.
# -baseline REV: a git revision (or a wurzel binary) to compare renders with.
n=$#
i=0
quick=""
baseline=""
while [ "$i" -lt "$n" ]; do
	a=$1
	shift
	i=$((i + 1))
	if [ "$a" = -quick ]; then
		quick=1
	elif [ "$a" = -baseline ] && [ "$i" -lt "$n" ]; then
		baseline=$1
		shift
		i=$((i + 1))
	else
		set -- "$@" "$a"
	fi
done
if [ -n "$baseline" ]; then
	if [ ! -f "$baseline" ]; then
		echo "wurzel-bench: building wurzel at $baseline as the baseline" >&2
		rm -rf "$work/baseline-src"
		mkdir -p "$work/baseline-src"
		git -C "$repo" archive "$baseline" | tar -x -C "$work/baseline-src"
		(cd "$work/baseline-src" && go build -trimpath -o "$work/bin/wurzel-baseline" ./cmd/wurzel)
		set -- -baseline-name "$(git -C "$repo" log -1 --format='%h %cs %s' "$baseline")" "$@"
		baseline=$work/bin/wurzel-baseline
	fi
	set -- -baseline "$baseline" "$@"
fi
if [ -n "$quick" ]; then
	set -- -sizes 10,100,1000 -corpus 10 -runs 3 "$@"
fi

status=0
"$work/bin/wurzel-bench" -wurzel "$work/bin/wurzel" -helm "$helm" -measure "$work/bin/measure" \
	-repo "$repo" -work "$work/run" "$@" || status=$?
exit "$status"
