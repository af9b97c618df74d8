# SeaweedFS, the S3-compatible object store of docker-compose.yml, built from the Go module proxy at the
# version the tests run against (setup/50-seaweedfs.sh). Build context: this folder (docker/):
#   docker build -f docker/seaweedfs.Dockerfile -t openkyc-seaweedfs docker
FROM golang:1.26 AS build
ARG SEAWEEDFS_VERSION=v0.0.0-20261109003541-7506e5f91cd6
WORKDIR /build
# go mod download checks the source against the Go checksum database; the module cache is read-only,
# so the build runs in a writable copy.
RUN go mod download -json "github.com/seaweedfs/seaweedfs@${SEAWEEDFS_VERSION}" > module.json \
    && cp -r "$(sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p' module.json)" src \
    && chmod -R u+w src \
    && cd src && CGO_ENABLED=0 GOFLAGS="-mod=mod -buildvcs=false" go build -o /out/weed ./weed

FROM alpine:3.22
RUN addgroup -S seaweedfs && adduser -S -G seaweedfs -u 10002 seaweedfs \
    && mkdir -p /data && chown seaweedfs:seaweedfs /data
COPY --from=build /out/weed /usr/local/bin/weed
COPY seaweedfs-entrypoint.sh seaweedfs-bucket.sh /usr/local/bin/
USER seaweedfs
VOLUME /data
EXPOSE 8333
ENTRYPOINT ["/usr/local/bin/seaweedfs-entrypoint.sh"]
# Master, volume, filer and the S3 gateway in one process, all data under /data; no outside calls.
CMD ["server", "-dir=/data", "-ip.bind=0.0.0.0", "-s3", "-s3.port=8333", "-master.telemetry=false"]
