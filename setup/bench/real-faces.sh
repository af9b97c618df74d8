#!/usr/bin/env bash
# Real face photographs for the passive liveness measurement (BENCHMARKS.md, "Passive liveness
# on real photos"). Not run by bin/setup and not needed by any test: only the benchmark reads them.
#
# Fetched from PyPI with pip (archives and every extracted file checked by sha256) into
# $OPENKYC_CACHE_DIR/faces-real/ (default .cache/faces-real/):
#  - face_recognition 1.3.0 (sdist, MIT), tests/test_images/: official White House photographs by
#    Pete Souza (obama.jpg, obama2.jpg, obama3.jpg, biden.jpg: President Obama, Vice President Biden,
#    Solicitor General Kagan), works of the US federal government, public domain in the US
#    (17 U.S.C. 105); their captions ask that they not be manipulated nor used to suggest endorsement:
#    they are only measured here, never shipped or shown.
#  - scikit-image 0.24.0 (wheel, BSD-3-Clause), skimage/data/: astronaut.png (NASA, Eileen Collins,
#    public domain) and camera.png ("cameraman" by Lav Varshney, CC0).
# Sources and licences are also listed in server/src/test/resources/vision/NOTICE.
set -euo pipefail
cache="${OPENKYC_CACHE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)/.cache}"
out="$cache/faces-real"
dl="$cache/downloads"
mkdir -p "$out" "$dl"

FR_SPEC="face_recognition==1.3.0"
FR_FILE="face_recognition-1.3.0.tar.gz"
FR_SHA=5e5efdd1686aa566af0d3cc1313b131e4b197657a8ffd03669e6d3fad92705ec
SK_SPEC="scikit-image==0.24.0"
SK_FILE="scikit_image-0.24.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"
SK_SHA=fa27b3a0dbad807b966b8db2d78da734cb812ca4787f7fbb143764800ce2fa9c

declare -A SHA=(
  [wh-obama-portrait.jpg]=0930e3aa8cae5920329c0c8cbc6a2ab70f47b0e67b432875beaa95cbf7e741f6
  [wh-obama-congress.jpg]=a7efcc907375274796f39646510704aa86672d59f6d5469d69af3c85590976a6
  [wh-blue-room-wide.jpg]=76ac6bf97c36dc2da0ad16a537d6a5ac1b10f48d49aac29a0cca9a17cdbc3ca3
  [wh-blue-room-biden.jpg]=3c17508bb91554c637a2eabddfae790e5bb1caba93130814fc2ac50be9760c4c
  [nasa-astronaut.png]=88431cd9653ccd539741b555fb0a46b61558b301d4110412b5bc28b5e3ea6cb5
  [cc0-cameraman.png]=b0793d2adda0fa6ae899c03989482bff9a42d3d5690fc7e3648f2795d730c23a
)

ok() { [ -f "$1" ] && [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$2" ]; }

fetch_pypi() { # spec file sha [pip options...] -> path of the archive
  local spec="$1" file="$2" sha="$3"; shift 3
  if ! ok "$dl/$file" "$sha"; then
    local tmp; tmp="$(mktemp -d)"
    python3 -m pip download -q --no-deps "$@" -d "$tmp" "$spec" >&2
    mv "$tmp/$file" "$dl/$file"; rm -rf "$tmp"
    if ! ok "$dl/$file" "$sha"; then
      echo "real-faces: sha256 mismatch for $spec" >&2; rm -f "$dl/$file"; exit 1
    fi
  fi
  echo "$dl/$file"
}

fr="$(fetch_pypi "$FR_SPEC" "$FR_FILE" "$FR_SHA" --no-binary :all:)"
tmp="$(mktemp -d)"
tar xzf "$fr" -C "$tmp" face_recognition-1.3.0/tests/test_images
src="$tmp/face_recognition-1.3.0/tests/test_images"
cp "$src/obama.jpg" "$out/wh-obama-portrait.jpg"
cp "$src/obama2.jpg" "$out/wh-obama-congress.jpg"
cp "$src/obama3.jpg" "$out/wh-blue-room-wide.jpg"
cp "$src/biden.jpg" "$out/wh-blue-room-biden.jpg"
rm -rf "$tmp"

sk="$(fetch_pypi "$SK_SPEC" "$SK_FILE" "$SK_SHA" --only-binary=:all: --platform manylinux2014_x86_64 --python-version 3.11)"
unzip -p "$sk" skimage/data/astronaut.png > "$out/nasa-astronaut.png"
unzip -p "$sk" skimage/data/camera.png > "$out/cc0-cameraman.png"

for f in "${!SHA[@]}"; do
  [ -s "$out/$f" ] || { echo "real-faces: $out/$f missing" >&2; exit 1; }
  if ! ok "$out/$f" "${SHA[$f]}"; then
    echo "real-faces: $out/$f sha256 mismatch" >&2; exit 1
  fi
done
echo "real-faces: $(ls "$out" | wc -l) photos in $out" >&2
