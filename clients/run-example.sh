#!/usr/bin/env bash
# Runs the example of one client against a running OpenKYC: creates a profile,
# uploads the document image, reads the status and deletes the case, printing
# each step.
#
#   OPENKYC_TARGET=localhost:8443 OPENKYC_API_KEY=<client key> \
#   OPENKYC_CA_FILE=data/tls/cert.pem clients/run-example.sh LANGUAGE IMAGE
#
# LANGUAGE: java, python, typescript (OPENKYC_PROTOCOL=grpc-web for gRPC-Web)
# or go. OPENKYC_TARGET is the gateway's public HTTPS address (gRPC is served
# there); OPENKYC_CA_FILE the certificate to trust (optional: the system's CAs
# otherwise). The code is generated first (clients/generate.sh, which installs
# its tools once, from the package registries); java is compiled by Maven.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE="${OPENKYC_CACHE_DIR:-$root/.cache}"
export OPENKYC_CACHE_DIR="$CACHE"

if [ $# -ne 2 ]; then
  sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
lang=$1
image=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")

case "$lang" in
  java)
    # Compiles the example and the modules it needs, and writes its class path
    # (every module of the build writes the file; the example, built last, wins).
    cp_file="$root/clients/java/example/target/classpath.txt"
    (cd "$root" && mvn -o -B -q -pl clients/java/example -am compile dependency:build-classpath \
      -Dmdep.outputFile="$cp_file" >&2)
    exec java -cp "$root/clients/java/example/target/classes:$(cat "$cp_file")" \
      org.openkyc.client.example.KycExample "$image"
    ;;
  python)
    "$root/clients/generate.sh" python
    PYTHONPATH="$root/clients/python/gen:$root/clients/python/src" \
      exec "$CACHE/clients/python-venv/bin/python" "$root/clients/python/example.py" "$image"
    ;;
  typescript | ts)
    "$root/clients/generate.sh" typescript   # also compiles into dist/
    exec node "$root/clients/typescript/dist/src/example.js" "$image"
    ;;
  go)
    "$root/clients/generate.sh" go
    cd "$root/clients/go"
    exec go run -mod=readonly ./cmd/example "$image"
    ;;
  *)
    echo "run-example: unknown language '$lang' (java, python, typescript, go)" >&2
    exit 2
    ;;
esac
