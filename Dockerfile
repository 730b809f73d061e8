# syntax=docker/dockerfile:1
#
# The wurzel container images, for building them with Docker or BuildKit. CI builds the same
# images without a container engine (build/cmd/wurzel-image, run by build/ci.sh); both take
# their files from the same code, so the two builds hold the same files.
#
#   base image (the default target): a static wurzel binary on an empty base, CA certificates,
#     user 65532:65532, working folder /data, no shell. Argo, Kubernetes CronJobs and
#     Airflow's KubernetesPodOperator run `wurzel run ...` in it as the container command.
#   shell variant (--target shell): the same plus a static busybox as /bin/sh. Only the
#     gitlab-ci pack needs it: GitLab CI runs a job's script through sh in the job's image.
#
# Stamp the version, commit and commit time, or `wurzel version` says dev and unknown:
#
#   docker buildx build --platform linux/amd64,linux/arm64 \
#     --build-arg VERSION=v1.2.3 --build-arg COMMIT=$(git rev-parse HEAD) \
#     --build-arg SOURCE_DATE_EPOCH=$(git log -1 --format=%ct) \
#     -t ghcr.io/wurzel-dev/wurzel:v1.2.3 .
#   docker buildx build ... --target shell -t ghcr.io/wurzel-dev/wurzel:v1.2.3-shell .
#
# Tag development builds (VERSION=dev) latest and latest-shell: `wurzel render` names those.

ARG GO_VERSION=1.26.8

# The static binary and the base image's files, built on the build machine's platform and
# cross-compiled for the target.
FROM --platform=$BUILDPLATFORM golang:${GO_VERSION}-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
COPY build/go.mod build/go.sum ./build/
RUN go mod download && cd build && go mod download
COPY . .
ARG TARGETOS TARGETARCH
ARG VERSION=dev
ARG COMMIT=
ARG SOURCE_DATE_EPOCH=
# The flags of build/internal/source (LDFlags, BuildArgs, BuildEnv): keep them equal.
RUN DATE= && if [ -n "$SOURCE_DATE_EPOCH" ]; then DATE=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%dT%H:%M:%SZ); fi && \
    CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH GOAMD64=v1 GOARM64=v8.0 GOFLAGS=-mod=readonly \
    go build -trimpath -buildvcs=false \
      -ldflags="-s -w -X github.com/wurzel-dev/wurzel/cmd.version=$VERSION -X github.com/wurzel-dev/wurzel/cmd.commit=$COMMIT -X github.com/wurzel-dev/wurzel/cmd.date=$DATE" \
      -o /out/wurzel ./cmd/wurzel && \
    cd build && go run ./cmd/wurzel-image rootfs -wurzel /out/wurzel -o /rootfs/base

# The pinned static busybox of Debian 12 for the target, checked by its SHA-256.
FROM --platform=$BUILDPLATFORM debian:bookworm-slim AS busybox
ARG TARGETOS TARGETARCH
COPY build/busybox.sh /busybox.sh
RUN /busybox.sh /out "$TARGETOS/$TARGETARCH" && mkdir -p /busybox && mv "/out/busybox-$TARGETOS-$TARGETARCH" /busybox/busybox

FROM build AS shellfiles
COPY --from=busybox /busybox/busybox /out/busybox
RUN cd build && go run ./cmd/wurzel-image rootfs -busybox /out/busybox -o /rootfs/shell

FROM scratch AS base
# COPY --from keeps the owners and modes rootfs gave: /data owned by 65532, /tmp 1777.
COPY --from=build /rootfs/base/ /
USER 65532:65532
WORKDIR /data
ENV PATH=/usr/local/bin:/usr/bin:/bin
ENTRYPOINT ["/usr/local/bin/wurzel"]
ARG VERSION=dev
ARG COMMIT=
LABEL org.opencontainers.image.title="wurzel" \
      org.opencontainers.image.description="wurzel: declare a data pipeline once, run it here or render it for DVC, Argo Workflows, GitHub Actions, GitLab CI, Airflow and Kubernetes CronJobs. Static binary, non-root, no shell." \
      org.opencontainers.image.source="https://github.com/wurzel-dev/wurzel" \
      org.opencontainers.image.version="$VERSION" \
      org.opencontainers.image.revision="$COMMIT"

FROM base AS shell
COPY --from=shellfiles /rootfs/shell/ /
LABEL org.opencontainers.image.description="wurzel with a static POSIX shell (busybox), for GitLab CI jobs, which run their script through sh."

# The default target: the image without shell.
FROM base
