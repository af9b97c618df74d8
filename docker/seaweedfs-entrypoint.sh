#!/bin/sh
# Runs weed with the S3 admin identity read from docker secrets: AWS_ACCESS_KEY_ID_FILE and
# AWS_SECRET_ACCESS_KEY_FILE name files holding the keys (weed itself reads only AWS_ACCESS_KEY_ID and
# AWS_SECRET_ACCESS_KEY). With an identity set, unsigned and wrongly signed S3 calls are refused.
set -eu
for name in AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY; do
  eval "file=\${${name}_FILE:-}"
  if [ -n "$file" ]; then
    if [ ! -r "$file" ]; then
      echo "seaweedfs: ${name}_FILE names $file, which cannot be read" >&2
      exit 1
    fi
    value="$(cat "$file")"
    export "$name=$value"
    unset "${name}_FILE"
  fi
done
exec weed "$@"
