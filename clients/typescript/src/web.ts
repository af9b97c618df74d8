// The browser transport: gRPC-Web over fetch to the gateway's public HTTPS
// port. The browser's own CAs decide whom to trust.
import type { Transport } from "@connectrpc/connect";
import { createGrpcWebTransport } from "@connectrpc/connect-web";
import { apiKeyInterceptor, DEFAULT_TIMEOUT_MS, retryReadsInterceptor } from "./index.js";

export interface OpenKycWebOptions {
  /** The gateway, e.g. "https://kyc.example.com". */
  baseUrl: string;
  /**
   * The API key every call carries. A key in a browser is visible to its user:
   * give a browser only what that user may do, or call OpenKYC from your server.
   */
  apiKey: string;
  /** Deadline of a call that sets none, in ms (default 30 s). */
  timeoutMs?: number;
  /** Attempts of a read-only call on UNAVAILABLE, 1 to 5 (default 3). */
  maxAttempts?: number;
}

export function createOpenKycWebTransport(options: OpenKycWebOptions): Transport {
  return createGrpcWebTransport({
    baseUrl: options.baseUrl,
    interceptors: [retryReadsInterceptor(options.maxAttempts ?? 3), apiKeyInterceptor(options.apiKey)],
    defaultTimeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  });
}
