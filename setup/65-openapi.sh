#!/usr/bin/env bash
# What the generated REST client check needs (launcher OpenApiClientIT): the openapi-generator
# command line (Maven Central, org.openapitools:openapi-generator-cli, Apache-2.0) and a Python
# virtual environment with the generated Python client's dependencies (PyPI, pinned).
# Into $OPENKYC_CACHE_DIR/openapi: openapi-generator-cli-<version>.jar (sha256 checked) and venv/.
# Idempotent: a stamp names what is installed; nothing is fetched when it is current.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CACHE="${OPENKYC_CACHE_DIR:-$ROOT/.cache}"
DIR="$CACHE/openapi"
mkdir -p "$DIR"

GENERATOR_VERSION=7.10.0
GENERATOR_SHA=615e014705af34861e789e0b2a11075d3c80db134f881e937265479a4a83996e
JAR="$DIR/openapi-generator-cli-$GENERATOR_VERSION.jar"
# The generated client's requirements (its requirements.txt), pinned with their own dependencies.
PACKAGES=(urllib3==2.2.3 python-dateutil==2.9.0.post0 pydantic==2.9.2 pydantic_core==2.23.4
          typing_extensions==4.12.2 annotated-types==0.8.0 six==1.17.0)

jar_ok() { [ -f "$JAR" ] && echo "$GENERATOR_SHA  $JAR" | sha256sum -c --quiet - 2>/dev/null; }
if ! jar_ok; then
  rm -f "$JAR"
  local_copy="$HOME/.m2/repository/org/openapitools/openapi-generator-cli/$GENERATOR_VERSION/openapi-generator-cli-$GENERATOR_VERSION.jar"
  if [ -f "$local_copy" ]; then
    cp "$local_copy" "$JAR"
  else
    command -v mvn >/dev/null || { echo "setup: mvn is needed to fetch openapi-generator-cli" >&2; exit 1; }
    mvn -B -q dependency:copy -Dartifact="org.openapitools:openapi-generator-cli:$GENERATOR_VERSION" \
        -DoutputDirectory="$DIR" >&2
  fi
  if ! jar_ok; then
    echo "setup: sha256 mismatch for $JAR; refusing to use it" >&2
    rm -f "$JAR"
    exit 1
  fi
  echo "setup: openapi-generator-cli $GENERATOR_VERSION ready in $DIR" >&2
fi

STAMP="$DIR/venv/openkyc-packages.txt"
if [ ! -x "$DIR/venv/bin/python" ] || [ "$(cat "$STAMP" 2>/dev/null)" != "${PACKAGES[*]}" ]; then
  command -v python3 >/dev/null || { echo "setup: python3 (with venv) is needed" >&2; exit 1; }
  rm -rf "$DIR/venv"
  python3 -m venv "$DIR/venv"
  "$DIR/venv/bin/pip" install --quiet --disable-pip-version-check --no-input "${PACKAGES[@]}" >&2
  echo "${PACKAGES[*]}" > "$STAMP"
  echo "setup: Python client environment ready in $DIR/venv" >&2
fi
