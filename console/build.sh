#!/usr/bin/env bash
# Builds the reviewer console into console/dist with the machine's Node and npm (run by the gateway's Maven
# build). Dependencies come from package-lock.json through `npm ci`, again only when the lock file changed.
set -euo pipefail
cd "$(dirname "$0")"
command -v npm >/dev/null || { echo "console/build.sh: Node.js and npm are needed to build the reviewer console (apt-get install nodejs npm)" >&2; exit 1; }
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
  touch node_modules/.package-lock.json
fi
npm run build
