# fleet-iam in a container: a static (musl) build in a small image that runs as a non-root user
# on the tree mounted at /src.
#
#   docker build -t fleet-iam .
#   docker run --rm -v "$PWD:/src" fleet-iam check .
#
# The image runs as uid 65532; files it reads must be readable by others (the usual mode). To
# write into the tree (--write-baseline), run it as yourself: --user "$(id -u):$(id -g)".
# Builds for the platform it runs on (linux/amd64 or linux/arm64).

ARG RUST_VERSION=1.95

FROM rust:${RUST_VERSION}-slim-bookworm AS build
# musl-gcc: the CLI links mimalloc, whose C its -sys crate compiles for the musl target.
# Not pinned: bookworm's musl-tools only gets security fixes, and it never reaches the image.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends musl-tools \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /build
COPY . .
RUN target="$(uname -m)-unknown-linux-musl" \
    && rustup target add "$target" \
    && cargo build --release --locked -p fleet-iam-cli --target "$target" \
    && cp "target/$target/release/fleet-iam" /fleet-iam \
    && /fleet-iam --version

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /fleet-iam /usr/local/bin/fleet-iam
COPY LICENSE-MIT LICENSE-APACHE /usr/share/doc/fleet-iam/
# distroless "nonroot", by number so that Kubernetes runAsNonRoot can check it.
USER 65532:65532
WORKDIR /src
ENTRYPOINT ["/usr/local/bin/fleet-iam"]
CMD ["check", "."]
