"""Tests of the openkyc_client helper (run by clients/generate.sh python)."""
import json
import unittest

import grpc
from google.protobuf import any_pb2
from google.rpc import error_details_pb2, status_pb2

import openkyc_client


class _Error(grpc.RpcError):
    def __init__(self, trailers):
        self._trailers = trailers

    def trailing_metadata(self):
        return self._trailers


class OpenKycClientTest(unittest.TestCase):
    def test_the_documented_reason_of_an_error_is_read(self):
        detail = any_pb2.Any()
        detail.Pack(error_details_pb2.ErrorInfo(reason="PROFILE_NOT_FOUND", domain="openkyc"))
        status = status_pb2.Status(code=5, message="Profile not found", details=[detail])
        error = _Error((("grpc-status-details-bin", status.SerializeToString()),))
        self.assertEqual(openkyc_client.error_reason(error), "PROFILE_NOT_FOUND")
        self.assertIsNone(openkyc_client.error_reason(_Error(())))

    def test_only_read_only_calls_are_retried_and_only_on_unavailable(self):
        config = json.loads(openkyc_client._service_config(3))["methodConfig"][0]
        self.assertEqual(config["retryPolicy"]["retryableStatusCodes"], ["UNAVAILABLE"])
        methods = {n["method"] for n in config["name"]}
        self.assertIn("GetStatus", methods)
        self.assertFalse(methods & {"Submit", "UploadDocument", "DeleteSubmission", "UpdateStatus"})

    def test_settings_are_checked(self):
        with self.assertRaises(ValueError):
            openkyc_client.api_key_credentials("")
        with self.assertRaises(ValueError):
            openkyc_client.with_idempotency_key("caf\u00e9")
        self.assertEqual(openkyc_client.with_idempotency_key("order-42"), (("idempotency-key", "order-42"),))
        with self.assertRaises(ValueError):
            openkyc_client.connect("localhost:1", "k", max_attempts=6)


if __name__ == "__main__":
    unittest.main()
