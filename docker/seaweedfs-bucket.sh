#!/bin/sh
# Creates the S3 bucket OpenKYC keeps its blobs in (OPENKYC_S3_BUCKET) unless it exists, through the
# SeaweedFS admin shell; exits 0 only when the bucket is there. Idempotent: run at every start.
set -eu
bucket="${OPENKYC_S3_BUCKET:?set OPENKYC_S3_BUCKET}"
master="${SEAWEEDFS_MASTER:-seaweedfs:9333}"
filer="${SEAWEEDFS_FILER:-seaweedfs:8888}"

run() { echo "$1" | weed shell -master="$master" -filer="$filer" 2>&1; }
listed() { run "s3.bucket.list" | grep -q "^  ${bucket}[[:space:]]"; }

if listed; then
  echo "seaweedfs-bucket: bucket $bucket exists"
  exit 0
fi
run "s3.bucket.create -name $bucket"
if listed; then
  echo "seaweedfs-bucket: bucket $bucket created"
  exit 0
fi
echo "seaweedfs-bucket: bucket $bucket could not be created" >&2
exit 1
