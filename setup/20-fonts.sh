#!/usr/bin/env bash
# Fonts for the AML screening PDF reports: Hangul (Debian fonts-nanum) and
# Thai and Latin (Debian fonts-noto-core), embedded into every report so that
# names print in their own script. Installed with apt when missing (needs
# root, as in CI); idempotent. The server finds them under /usr/share/fonts
# (paths configurable: OPENKYC_REPORT_FONTS).
set -euo pipefail

need=()
[ -f /usr/share/fonts/truetype/nanum/NanumGothic.ttf ] || need+=(fonts-nanum)
[ -f /usr/share/fonts/truetype/noto/NotoSans-Regular.ttf ] || need+=(fonts-noto-core)
[ -f /usr/share/fonts/truetype/noto/NotoSansThai-Regular.ttf ] || need+=(fonts-noto-core)

if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
# shellcheck disable=SC2207
need=($(printf '%s\n' "${need[@]}" | sort -u))
if [ "$(id -u)" -ne 0 ]; then
  echo "setup/20-fonts.sh: please install ${need[*]} (apt-get install -y ${need[*]}); PDF reports need them" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y --no-install-recommends "${need[@]}"; then
  apt-get update
  apt-get install -y --no-install-recommends "${need[@]}"
fi
