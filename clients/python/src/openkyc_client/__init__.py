"""A thin client of the OpenKYC gRPC API.

    import openkyc_client
    from openkyc.kyc.v1 import kyc_pb2, kyc_pb2_grpc

    channel = openkyc_client.connect("kyc.example.com:443", api_key, ca_file="ca.pem")
    kyc = kyc_pb2_grpc.KycServiceStub(channel)
    profile = kyc.Submit(kyc_pb2.SubmitRequest(user_id="user-1", country="SG"))

`connect` opens a TLS channel (trusting the CA or self-signed certificate in
`ca_file`, else the system's CAs) on which every call carries the API key
(`x-api-key`), has a deadline (`timeout` seconds unless the call passes its
own), and the read-only calls are retried when no server could be reached.
`error_reason` reads the documented reason of an error (docs/API.md).
"""

import json
from typing import Optional, Sequence, Tuple

import grpc
from google.rpc import error_details_pb2, status_pb2

__all__ = ["connect", "api_key_credentials", "with_idempotency_key", "error_reason", "READ_ONLY_METHODS"]

DEFAULT_TIMEOUT = 30.0

# The calls that read and change nothing: retried on UNAVAILABLE only (the
# call never reached a server that could answer). Calls that create or change
# something are never retried by the client; send an idempotency key
# (with_idempotency_key) and repeat them yourself.
READ_ONLY_METHODS: Sequence[Tuple[str, str]] = (
    ("openkyc.kyc.v1.KycService", "GetStatus"),
    ("openkyc.kyc.v1.KycService", "GetLivenessSession"),
    ("openkyc.kyc.v1.KycAdminService", "ListProfiles"),
    ("openkyc.kyc.v1.KycAdminService", "GetProfileDetail"),
    ("openkyc.submissions.v2.SubmissionService", "GetSubmissions"),
    ("openkyc.submissions.v2.SubmissionService", "GetApplicantSubmissions"),
    ("openkyc.submissions.v2.SubmissionService", "GetAmlReport"),
    ("openkyc.submissions.v2.SubmissionService", "GetImage"),
    ("openkyc.screening.v1.ScreeningService", "GetScreening"),
    ("openkyc.travelrule.v1.VerificationService", "ListVerifications"),
)


def _service_config(max_attempts: int) -> str:
    return json.dumps({
        "methodConfig": [{
            "name": [{"service": s, "method": m} for s, m in READ_ONLY_METHODS],
            "retryPolicy": {
                "maxAttempts": max_attempts,
                "initialBackoff": "0.2s",
                "maxBackoff": "2s",
                "backoffMultiplier": 2,
                "retryableStatusCodes": ["UNAVAILABLE"],
            },
        }]
    })


class _ApiKey(grpc.AuthMetadataPlugin):
    def __init__(self, api_key: str):
        self._metadata = (("x-api-key", api_key),)

    def __call__(self, context, callback):
        callback(self._metadata, None)


def api_key_credentials(api_key: str) -> grpc.CallCredentials:
    """The API key as call credentials (gRPC sends them only over TLS)."""
    if not api_key or not api_key.isascii() or not api_key.isprintable() or " " in api_key:
        raise ValueError("the API key must be non-empty printable ASCII")
    return grpc.metadata_call_credentials(_ApiKey(api_key), name="openkyc-api-key")


class _DefaultTimeout(grpc.UnaryUnaryClientInterceptor):
    def __init__(self, timeout: float):
        self._timeout = timeout

    def intercept_unary_unary(self, continuation, details, request):
        if details.timeout is None:
            details = _CallDetails(details, self._timeout)
        return continuation(details, request)


class _CallDetails(grpc.ClientCallDetails):
    def __init__(self, details, timeout):
        self.method = details.method
        self.timeout = timeout
        self.metadata = details.metadata
        self.credentials = details.credentials
        self.wait_for_ready = details.wait_for_ready
        self.compression = details.compression


def connect(target: str, api_key: str, ca_file: Optional[str] = None, *,
            timeout: float = DEFAULT_TIMEOUT, max_attempts: int = 3,
            options: Sequence[Tuple[str, object]] = ()) -> grpc.Channel:
    """A TLS channel to `target` ("host:port") on which every call carries the key.

    ca_file: a PEM file with the CA (or the development gateway's self-signed
    certificate) to trust instead of the system's CAs. timeout: the deadline in
    seconds of a call that sets none. max_attempts: attempts of a read-only call
    (1 to 5; 1 = no retry).
    """
    if not 1 <= max_attempts <= 5:
        raise ValueError("max_attempts must be 1 to 5")
    if timeout <= 0:
        raise ValueError("timeout must be positive")
    root = None
    if ca_file:
        with open(ca_file, "rb") as f:
            root = f.read()
    credentials = grpc.composite_channel_credentials(
        grpc.ssl_channel_credentials(root_certificates=root), api_key_credentials(api_key))
    opts = list(options)
    if max_attempts > 1:
        opts += [("grpc.enable_retries", 1), ("grpc.service_config", _service_config(max_attempts))]
    else:
        opts += [("grpc.enable_retries", 0)]
    channel = grpc.secure_channel(target, credentials, options=opts)
    return grpc.intercept_channel(channel, _DefaultTimeout(timeout))


def with_idempotency_key(key: str) -> Tuple[Tuple[str, str], ...]:
    """Metadata for a create or change call, so that a repeat does not act twice:
    `kyc.Submit(request, metadata=with_idempotency_key("order-42"))`."""
    if not 1 <= len(key) <= 255 or not key.isascii() or not key.isprintable():
        raise ValueError("an idempotency key is 1 to 255 printable ASCII characters")
    return (("idempotency-key", key),)


def error_reason(error: grpc.RpcError) -> Optional[str]:
    """The documented reason of an OpenKYC error (e.g. PROFILE_NOT_FOUND): the
    google.rpc.ErrorInfo the server puts in the error's details."""
    trailers = error.trailing_metadata() if hasattr(error, "trailing_metadata") else None
    for key, value in trailers or ():
        if key == "grpc-status-details-bin":
            status = status_pb2.Status.FromString(value)
            for detail in status.details:
                info = error_details_pb2.ErrorInfo()
                if detail.Unpack(info):
                    return info.reason
    return None
