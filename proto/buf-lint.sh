#!/usr/bin/env bash
# Lints the protos under src/main/proto/openkyc with buf, as buf.yaml configures
# it (STANDARD + COMMENTS, exceptions listed there). Exits non-zero and prints
# the findings when there are any.
#
# Run by `mvn verify` in this module (exec-maven-plugin in pom.xml), or by hand:
# `proto/buf-lint.sh` from any directory. Needs node and npm (buf.sh).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

status=0
./buf.sh lint --error-format text || status=$?
if [ "$status" -ne 0 ]; then
  echo "buf-lint: buf lint failed (exit $status); findings above." >&2
  exit "$status"
fi
echo "buf-lint: no findings in src/main/proto ($(./buf.sh --version 2>/dev/null | sed 's/^/buf /'))."
