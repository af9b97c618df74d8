#!/usr/bin/env bash
# Face models, MRZ OCR data and the OCR-B font for the document and face engines.
#  - ONNX face models from npm faceplugin-face-recognition-js@0.0.1 (MIT) -> $OPENKYC_CACHE_DIR/models/
#  - OCR-B MRZ model ocrb_int.traineddata from npm @idpass/smartscanner-capacitor@0.7.7
#    (Apache-2.0, inside its Android archive)                      -> $OPENKYC_CACHE_DIR/tessdata/
#  - eng.traineddata (fallback) from the Maven jar tess4j 5.20.0   -> $OPENKYC_CACHE_DIR/tessdata/
#  - Debian fonts-ocr-b (used by the tests' synthetic document generator)
# Idempotent: every file is checked by sha256 and fetched only when missing or wrong.
set -euo pipefail
cache="${OPENKYC_CACHE_DIR:-$(cd "$(dirname "$0")/.." && pwd)/.cache}"
models="$cache/models"
tessdata="$cache/tessdata"
mkdir -p "$models" "$tessdata" "$cache/downloads"

FACE_PKG="faceplugin-face-recognition-js@0.0.1"
FACE_TGZ_SHA=7ea06031d9a3f83753254fcff60506a07b81b46fc84d4ee024cd041f260ec1ba
MRZ_PKG="@idpass/smartscanner-capacitor@0.7.7"
MRZ_TGZ_SHA=f915d0664cb111efb6d02195655547551f00b245a678ba7b194d3178e92b99a3
MRZ_AAR="package/android/local-maven/org/idpass/smartscanner/smartscannerlib-release/1.0/smartscannerlib-release-1.0.aar"
TESS4J_VERSION=5.20.0

# sha256 of every file we install (checked after extraction too).
declare -A SHA=(
  [models/fr_detect.onnx]=6c0256ccd3164f844736a401faf936ec2930764a87ae39442180887d0c5c8854
  [models/fr_landmark.onnx]=f10b0ba1d2a8a099adefede1ebf3733e44fe370715e7303dbeb7f59c02142258
  [models/fr_feature.onnx]=87aacdfe57510db2af90c0251df680e8eec88f122ee94712121d09bcaaaf3581
  [models/fr_liveness.onnx]=afa783b7e902fdfcf323a7240cac2a1c580c25314ea4161129dc1b0d100dc32d
  [models/fr_eye.onnx]=1afcea006abc1ccac3c517022abde0aa092bed74ff3c9fe6878483ef9e6e38de
  [models/fr_pose.onnx]=72d032ec941b7153bf8d3f2c03a4c165453cc7e63d479041ec7c6ef087e5839d
  [models/fr_expression.onnx]=88959314d9dc14d6c968cca31dc068e4350bf1944154e3bdd2eece5d0f318d05
  [tessdata/ocrb_int.traineddata]=8c2c04fb6f29daf307f9694eaddbc0fa241b60f14ce03bb4ab8a0cbaf994dabc
  [tessdata/eng.traineddata]=7d4322bd2a7749724879683fc3912cb542f19906c83bcc1a52132556427170b2
)

ok() { # path expected-sha
  [ -f "$1" ] && [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$2" ]
}

fetch_npm() { # spec expected-sha -> prints tarball path
  local spec="$1" sha="$2" out
  out="$cache/downloads/$(echo "$spec" | sed 's/^@//; s#/#-#; s/@/-/').tgz"
  if ! ok "$out" "$sha"; then
    local tmp; tmp="$(mktemp -d)"
    (cd "$tmp" && npm pack --silent "$spec" >/dev/null)
    mv "$tmp"/*.tgz "$out"; rmdir "$tmp"
    if ! ok "$out" "$sha"; then
      echo "setup: sha256 mismatch for npm $spec" >&2; rm -f "$out"; exit 1
    fi
  fi
  echo "$out"
}

need_models=0
for f in "${!SHA[@]}"; do
  case "$f" in models/*) ok "$cache/$f" "${SHA[$f]}" || need_models=1 ;; esac
done
if [ "$need_models" = 1 ]; then
  tgz="$(fetch_npm "$FACE_PKG" "$FACE_TGZ_SHA")"
  tar xzf "$tgz" -C "$models" --strip-components=2 \
    package/model/fr_detect.onnx package/model/fr_landmark.onnx package/model/fr_feature.onnx \
    package/model/fr_liveness.onnx package/model/fr_eye.onnx package/model/fr_pose.onnx \
    package/model/fr_expression.onnx
fi

need_ocrb=0
ok "$tessdata/ocrb_int.traineddata" "${SHA[tessdata/ocrb_int.traineddata]}" || need_ocrb=1
if [ "$need_ocrb" = 1 ]; then
  tgz="$(fetch_npm "$MRZ_PKG" "$MRZ_TGZ_SHA")"
  tmp="$(mktemp -d)"
  tar xzf "$tgz" -C "$tmp" "$MRZ_AAR"
  unzip -p "$tmp/$MRZ_AAR" assets/tessdata/ocrb_int.traineddata > "$tessdata/ocrb_int.traineddata"
  rm -rf "$tmp"
fi

if ! ok "$tessdata/eng.traineddata" "${SHA[tessdata/eng.traineddata]}"; then
  jar="$HOME/.m2/repository/net/sourceforge/tess4j/tess4j/$TESS4J_VERSION/tess4j-$TESS4J_VERSION.jar"
  if [ ! -f "$jar" ]; then
    mvn -B -q org.apache.maven.plugins:maven-dependency-plugin:3.8.1:get \
      -Dartifact="net.sourceforge.tess4j:tess4j:$TESS4J_VERSION" -Dtransitive=false >&2
  fi
  unzip -p "$jar" tessdata/eng.traineddata > "$tessdata/eng.traineddata"
fi

for f in "${!SHA[@]}"; do
  if ! ok "$cache/$f" "${SHA[$f]}"; then
    echo "setup: $cache/$f is missing or its sha256 does not match" >&2
    exit 1
  fi
done

# The OCR-B font renders the synthetic MRZ documents of the tests.
if ! fc-list 2>/dev/null | grep -qi 'ocr-b\|ocrb' && [ ! -d /usr/share/fonts/truetype/ocr-b ] && ! ls /usr/share/fonts/*/*/OCR-B* >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    apt-get install -y -q fonts-ocr-b >&2 || { apt-get update -q >&2 && apt-get install -y -q fonts-ocr-b >&2; }
  else
    echo "setup: fonts-ocr-b is missing (apt-get install fonts-ocr-b); the synthetic MRZ tests need it" >&2
  fi
fi
echo "setup: models in $models, tessdata in $tessdata" >&2
