# candor in a small image: build in one stage, run from another (docs/deploy.md).
#   docker build -t candor --build-arg CANDOR_COMMIT=$(git rev-parse --short=12 HEAD) .
#   docker run --rm -v "$PWD:/site" -w /site candor build

FROM rust:1-slim-bookworm AS build
# The build context has no .git (.dockerignore): the commit for `candor --version` comes in here.
ARG CANDOR_COMMIT=""
ENV CANDOR_COMMIT=${CANDOR_COMMIT}
WORKDIR /src
COPY . .
RUN cargo build --release --locked && strip target/release/candor

FROM debian:bookworm-slim
# rsync and ssh for rsync targets; CA certificates for S3 over TLS. Versions are not pinned
# (hadolint DL3008): bookworm's archive keeps only its latest security fixes, so a pinned
# version stops installing at the next one.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates openssh-client rsync \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/target/release/candor /usr/local/bin/candor
WORKDIR /site
ENTRYPOINT ["candor"]
CMD ["--help"]
