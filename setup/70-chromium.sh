#!/usr/bin/env bash
# Chromium for the reviewer console's browser tests (launcher ConsoleIT drives it through
# Playwright; Playwright's own browser download is not reachable, so the tests point it at
# Debian's chromium). Idempotent: installs with apt only when no chromium is on the PATH.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q --no-install-recommends chromium fonts-liberation >&2 \
    || { apt-get update -q >&2 && apt-get install -y -q --no-install-recommends chromium fonts-liberation >&2; }
else
  echo "setup/70-chromium.sh: chromium is missing (apt-get install chromium); the console browser tests need it" >&2
  exit 1
fi
command -v chromium >/dev/null || { echo "setup/70-chromium.sh: chromium did not install" >&2; exit 1; }
