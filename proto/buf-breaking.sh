#!/usr/bin/env bash
# Checks that the protos under src/main/proto do not break clients of the
# released API: buf breaking against the committed image of every release in
# BASELINES (baseline/*.binpb) with the rules of buf.yaml (WIRE_JSON, rpc and
# service deletion), and buf-http-breaking.mjs for the REST routes
# (google.api.http), which buf does not compare. Exits non-zero and prints the
# findings when there are any.
#
# Every baseline is checked, not only the newest: 0.2.0 changed what the KYC
# family's gRPC answers hold (CHANGELOG.md) but kept 0.1.0's REST routes, and
# reserved rather than reused 0.1.0's field numbers, so the protos must stay
# compatible with 0.1.0 at the wire and route level, and with 0.2.0 in full.
#
#   proto/buf-breaking.sh              the check (run by `mvn verify`)
#   proto/buf-breaking.sh --self-test  proves that the check fails: applies
#       known breaking changes one at a time to a copy of the protos under
#       target/breaking-self-test and expects each to be reported, and expects
#       an unchanged copy and a compatible change to pass (also run by
#       `mvn verify`).
# Needs node and npm (buf.sh). Works from any directory.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$here"

BASELINES=(baseline/v0.1.0.binpb baseline/v0.2.0.binpb)
buf="$here/buf.sh"

# check DIR: runs both checks in DIR (a copy of this module's layout) against
# every baseline; prints the findings; exit status 0 only if there are none.
check() {
  local dir=$1 status=0 baseline name
  mkdir -p "$dir/target"
  (cd "$dir" && "$buf" build --path src/main/proto/openkyc --exclude-imports -o target/current-image.json)
  for baseline in "${BASELINES[@]}"; do
    name=$(basename "$baseline" .binpb)
    # msvs: the text format plus the rule's id.
    (cd "$dir" && "$buf" breaking src/main/proto --against "$here/$baseline" --error-format msvs) \
      || status=1
    "$buf" build "$here/$baseline" --exclude-imports -o "$dir/target/baseline-$name-image.json"
    node "$here/buf-http-breaking.mjs" "$dir/target/baseline-$name-image.json" "$dir/target/current-image.json" \
      src/main/proto/ || status=1
  done
  return "$status"
}

# The module's inputs, copied to DIR.
copy_module() {
  local dir=$1
  rm -rf "$dir"
  mkdir -p "$dir/src/main"
  cp -R src/main/proto "$dir/src/main/proto"
  cp -R third_party "$dir/third_party"
  cp buf.yaml "$dir/buf.yaml"
}

# mutate FILE OLD NEW: replaces the text OLD (a fixed string) by NEW in FILE
# of the copy, and fails loudly if OLD is not there: a self-test whose change
# did not apply proves nothing.
mutate() {
  local file=$1 old=$2 new=$3
  if ! grep -qF -- "$old" "$file"; then
    echo "buf-breaking self-test: '$old' is not in $file any more; choose another change" >&2
    exit 1
  fi
  OLD="$old" NEW="$new" perl -0pi -e 's/\Q$ENV{OLD}\E/$ENV{NEW}/' "$file"
}

self_test() {
  local root=target/breaking-self-test failures=0 out
  local screening=src/main/proto/openkyc/screening/v1/screening.proto
  local submissions=src/main/proto/openkyc/submissions/v2/submissions.proto
  local kyc=src/main/proto/openkyc/kyc/v1/kyc.proto

  # expect_breaking NAME RULE FILE OLD NEW
  expect_breaking() {
    local name=$1 rule=$2 file=$3 old=$4 new=$5 dir="$root/$1"
    copy_module "$dir"
    mutate "$dir/$file" "$old" "$new"
    if out=$(check "$dir" 2>&1); then
      echo "buf-breaking self-test: FAILED: $name was not reported" >&2
      failures=$((failures + 1))
    elif ! grep -q "$rule" <<<"$out"; then
      echo "buf-breaking self-test: FAILED: $name was reported, but not as $rule:" >&2
      echo "$out" >&2
      failures=$((failures + 1))
    else
      echo "buf-breaking self-test: ok: $name -> $(grep -m1 "$rule" <<<"$out")"
    fi
  }

  expect_breaking field-renumbered FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED "$screening" \
    'string birth_date = 4;' 'string birth_date = 40;'
  expect_breaking field-type-changed FIELD_WIRE_JSON_COMPATIBLE_TYPE "$screening" \
    'string nationality = 5;' 'int32 nationality = 5;'
  expect_breaking json-name-changed FIELD_SAME_JSON_NAME "$submissions" \
    '[json_name = "Count"]' '[json_name = "count"]'
  expect_breaking rpc-deleted RPC_NO_DELETE "$screening" \
    'rpc ReloadLists(' 'rpc ReloadAllLists('
  # A field of the 0.2.0 data-only answers: only the 0.2.0 baseline knows it.
  expect_breaking data-field-renumbered FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED "$kyc" \
    'string profile_id = 4;' 'string profile_id = 40;'
  expect_breaking rest-path-changed HTTP_ROUTE_NO_CHANGE "$kyc" \
    'post: "/api/web/kycService/submit"' 'post: "/api/web/kycService/submit_v2"'

  # Unchanged, and with compatible changes (a new field, another go_package):
  # must pass.
  local dir="$root/compatible"
  copy_module "$dir"
  mutate "$dir/$screening" 'string case_id = 6;' \
    $'string case_id = 6;\n  // A field added after 0.1.0.\n  string added_later = 7;'
  mutate "$dir/$screening" 'clients/go/gen/openkyc/screening/v1;screeningv1' \
    'clients/go/gen/openkyc/screening/v1;screening'
  if out=$(check "$dir" 2>&1); then
    echo "buf-breaking self-test: ok: a compatible change passes"
  else
    echo "buf-breaking self-test: FAILED: a compatible change was reported:" >&2
    echo "$out" >&2
    failures=$((failures + 1))
  fi

  if [ "$failures" -ne 0 ]; then
    echo "buf-breaking self-test: $failures of 7 cases failed" >&2
    exit 1
  fi
  echo "buf-breaking self-test: 7 passed, 0 failed"
}

if [ "${1:-}" = "--self-test" ]; then
  self_test
  exit 0
fi

status=0
check . || status=$?
if [ "$status" -ne 0 ]; then
  echo "buf-breaking: the protos break clients of a release (${BASELINES[*]}); findings above." >&2
  exit "$status"
fi
echo "buf-breaking: src/main/proto is compatible with ${BASELINES[*]}."
