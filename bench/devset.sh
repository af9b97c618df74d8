#!/usr/bin/env bash
# The document development set, read by the product's DocumentReader.
#
#   bench/devset.sh [documents per condition, default 15]
#
# Generates the set (deterministic, seeded; nothing is committed) into server/target/devset:
# images per condition and manifest.json with every image's truth; reads each image through
# DocumentReader, the path the API takes; writes results-openkyc.json and prints the
# per-condition table (read / partial / wrong / no answer, median and p95 ms).
# Needs what bin/setup installs (.cache/tessdata, Debian fonts-ocr-b). Builds offline.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
docs="${1:-15}"
out="$root/server/target/devset"
cp_file="$root/server/target/devset-classpath.txt"
if [ ! -f /usr/share/fonts/opentype/ocr-b/OCRB.otf ] || [ ! -f "${OPENKYC_CACHE_DIR:-$root/.cache}/tessdata/ocrb_int.traineddata" ]; then
  echo "devset.sh: the OCR-B font or model is missing: run bin/setup" >&2
  exit 1
fi
mvn -o -B -q -pl server -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" >&2
rm -rf "$out"
engine="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
if ! git diff --quiet HEAD -- server/src/main 2>/dev/null; then engine="$engine+changes"; fi
exec java -Dopenkyc.cacheDir="${OPENKYC_CACHE_DIR:-$root/.cache}" -Ddevset.engine="$engine" \
  -cp "server/target/test-classes:server/target/classes:$(cat "$cp_file")" \
  org.openkyc.server.document.devset.DevSetEvaluator "$docs" "$out"
