// A thin client layer over the generated OpenKYC messages and services
// (gen/, clients/generate.sh typescript) for Connect v2: the API key on every
// call, retries of the read-only calls, and the documented reason of an error.
// Works in browsers and Node; the transports are in ./node.ts (gRPC over
// HTTP/2, or gRPC-Web) and ./web.ts (gRPC-Web for browsers).
import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import { ErrorInfoSchema } from "../gen/google/rpc/error_details_pb.js";

/** The deadline of a call that sets none (`timeoutMs` in its call options). */
export const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * The calls that read and change nothing ("package.Service/Method"): retried
 * on UNAVAILABLE only. Calls that create or change something are never retried
 * by the client; send an idempotency key (`idempotencyKey`) and repeat them
 * yourself.
 */
export const READ_ONLY_METHODS: ReadonlySet<string> = new Set([
  "openkyc.kyc.v1.KycService/GetStatus",
  "openkyc.kyc.v1.KycService/GetLivenessSession",
  "openkyc.kyc.v1.KycAdminService/ListProfiles",
  "openkyc.kyc.v1.KycAdminService/GetProfileDetail",
  "openkyc.submissions.v2.SubmissionService/GetSubmissions",
  "openkyc.submissions.v2.SubmissionService/GetApplicantSubmissions",
  "openkyc.submissions.v2.SubmissionService/GetAmlReport",
  "openkyc.submissions.v2.SubmissionService/GetImage",
  "openkyc.screening.v1.ScreeningService/GetScreening",
  "openkyc.travelrule.v1.VerificationService/ListVerifications",
]);

/** Sends the API key (`x-api-key`) with every call. */
export function apiKeyInterceptor(apiKey: string): Interceptor {
  if (!apiKey || !/^[\x21-\x7e]+$/.test(apiKey)) {
    throw new Error("the API key must be non-empty printable ASCII");
  }
  return (next) => async (req) => {
    req.header.set("x-api-key", apiKey);
    return next(req);
  };
}

/**
 * Retries a read-only unary call that failed UNAVAILABLE, up to `maxAttempts`
 * attempts in all, 200 ms then 400 ms ... apart (at most 2 s, with jitter).
 */
export function retryReadsInterceptor(maxAttempts = 3): Interceptor {
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > 5) {
    throw new Error("maxAttempts must be 1 to 5");
  }
  return (next) => async (req) => {
    const name = `${req.service.typeName}/${req.method.name}`;
    if (req.stream || maxAttempts === 1 || !READ_ONLY_METHODS.has(name)) {
      return next(req);
    }
    for (let attempt = 1; ; attempt++) {
      try {
        return await next(req);
      } catch (e) {
        if (attempt >= maxAttempts || ConnectError.from(e).code !== Code.Unavailable || req.signal.aborted) {
          throw e;
        }
        const backoff = Math.min(2000, 200 * 2 ** (attempt - 1));
        await new Promise((resolve) => setTimeout(resolve, backoff * (0.8 + 0.4 * Math.random())));
      }
    }
  };
}

/**
 * Call options for a create or change call, so that a repeat does not act
 * twice: `kyc.submit(request, idempotencyKey("order-42"))`.
 */
export function idempotencyKey(key: string): { headers: Record<string, string> } {
  if (key.length < 1 || key.length > 255 || !/^[\x20-\x7e]+$/.test(key)) {
    throw new Error("an idempotency key is 1 to 255 printable ASCII characters");
  }
  return { headers: { "idempotency-key": key } };
}

/**
 * The documented reason of an OpenKYC error (e.g. PROFILE_NOT_FOUND): the
 * google.rpc.ErrorInfo the server puts in the error's details.
 */
export function errorReason(error: unknown): string | undefined {
  const e = ConnectError.from(error);
  return e.findDetails(ErrorInfoSchema)[0]?.reason;
}
