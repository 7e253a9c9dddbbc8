# syntax=docker/dockerfile:1
# hipaa-scan as a small container image: built in the Rust image, run from distroless/cc (glibc,
# libgcc, CA certificates and tzdata; no shell, no package manager) as the non-root user 65532.
#   docker build -t hipaa-scan .
#   docker run --rm -v "$PWD:/work" -w /work hipaa-scan scan --snapshot estate.json
# The release workflow builds it natively for linux/amd64 and linux/arm64 and publishes it as
# ghcr.io/<owner>/hipaa-scan:<version>.

ARG RUST_VERSION=1.95

FROM rust:${RUST_VERSION}-bookworm AS build
WORKDIR /src
# Only what the binary is built from (see .dockerignore).
COPY . .
RUN --mount=type=cache,target=/usr/local/cargo/registry,sharing=locked \
    --mount=type=cache,target=/src/target,sharing=locked \
    cargo build --release --locked --bin hipaa-scan \
 && install -D -m 0755 target/release/hipaa-scan /out/hipaa-scan

# Debian 12, as the build stage, so the binary finds the glibc it was linked against.
FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=build /out/hipaa-scan /usr/local/bin/hipaa-scan
# Numeric, so Kubernetes' runAsNonRoot can check it.
USER 65532:65532
WORKDIR /home/nonroot
ENTRYPOINT ["/usr/local/bin/hipaa-scan"]
CMD ["--help"]
