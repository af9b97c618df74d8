// Tests of the client helper (src/index.ts), run by clients/generate.sh
// typescript with Node's test runner over the compiled dist/.
import assert from "node:assert/strict";
import { test } from "node:test";
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { ErrorInfoSchema } from "../gen/google/rpc/error_details_pb.js";
import { apiKeyInterceptor, errorReason, idempotencyKey, retryReadsInterceptor } from "../src/index.js";

// The little of a unary request the interceptors read.
function request(typeName: string, method: string) {
  return {
    stream: false,
    service: { typeName },
    method: { name: method },
    header: new Headers(),
    signal: new AbortController().signal,
  } as any;
}

test("the API key goes in x-api-key", async () => {
  const req = request("openkyc.kyc.v1.KycService", "Submit");
  await apiKeyInterceptor("k-1")(async (r) => r as any)(req);
  assert.equal(req.header.get("x-api-key"), "k-1");
  assert.throws(() => apiKeyInterceptor(""));
});

test("a read is retried on UNAVAILABLE, a create never", async () => {
  for (const [method, expected] of [["GetStatus", 2], ["Submit", 1]] as const) {
    let calls = 0;
    const next = async () => {
      calls++;
      if (calls === 1) throw new ConnectError("restarting", Code.Unavailable);
      return { message: "ok" } as any;
    };
    const run = retryReadsInterceptor(3)(next)(request("openkyc.kyc.v1.KycService", method));
    if (expected === 1) {
      await assert.rejects(run);
    } else {
      await run;
    }
    assert.equal(calls, expected, method);
  }
});

test("the documented reason and the idempotency key", () => {
  const err = new ConnectError("Profile not found", Code.NotFound, undefined, [
    { desc: ErrorInfoSchema, value: create(ErrorInfoSchema, { reason: "PROFILE_NOT_FOUND", domain: "openkyc" }) },
  ]);
  assert.equal(errorReason(err), "PROFILE_NOT_FOUND");
  assert.deepEqual(idempotencyKey("order-42"), { headers: { "idempotency-key": "order-42" } });
  assert.throws(() => idempotencyKey(""));
});
