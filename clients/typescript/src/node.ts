// Node transports to the OpenKYC gateway's public HTTPS port: gRPC over
// HTTP/2 (the default), or gRPC-Web (what browsers speak; see ./web.ts).
import { readFileSync } from "node:fs";
import type { Transport } from "@connectrpc/connect";
import { createGrpcTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import { apiKeyInterceptor, DEFAULT_TIMEOUT_MS, retryReadsInterceptor } from "./index.js";

export interface OpenKycNodeOptions {
  /** The gateway, e.g. "https://kyc.example.com" or "https://127.0.0.1:8443". */
  baseUrl: string;
  /** The API key every call carries. */
  apiKey: string;
  /** A PEM file with the CA (or the development gateway's self-signed certificate) to trust instead of Node's CAs. */
  caFile?: string;
  /** "grpc" (HTTP/2, default) or "grpc-web". */
  protocol?: "grpc" | "grpc-web";
  /** Deadline of a call that sets none, in ms (default 30 s). */
  timeoutMs?: number;
  /** Attempts of a read-only call on UNAVAILABLE, 1 to 5 (default 3; 1 = no retry). */
  maxAttempts?: number;
}

/** A transport for `createClient(KycService, transport)`. */
export function createOpenKycTransport(options: OpenKycNodeOptions): Transport {
  if (!options.baseUrl.startsWith("https://")) {
    throw new Error("the gateway is served over HTTPS only: baseUrl must start with https://");
  }
  const ca = options.caFile ? readFileSync(options.caFile) : undefined;
  const common = {
    baseUrl: options.baseUrl,
    interceptors: [retryReadsInterceptor(options.maxAttempts ?? 3), apiKeyInterceptor(options.apiKey)],
    defaultTimeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    nodeOptions: ca ? { ca } : {},
  };
  return options.protocol === "grpc-web"
    ? createGrpcWebTransport({ ...common, httpVersion: "1.1" })
    : createGrpcTransport(common);
}
