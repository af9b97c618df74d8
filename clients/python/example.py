#!/usr/bin/env python3
"""One KYC case through the Python client: create a profile, upload a
passport image, read the status, delete the case.

    OPENKYC_TARGET=localhost:8443 OPENKYC_API_KEY=... OPENKYC_CA_FILE=cert.pem \\
      python example.py passport.png

OPENKYC_CA_FILE is optional (default: the system's CAs). Needs the generated
code (clients/generate.sh python) and the package on the path:
clients/run-example.sh python IMAGE does both.
"""
import os
import sys

import grpc

import openkyc_client
from openkyc.kyc.v1 import kyc_pb2, kyc_pb2_grpc, types_pb2
from openkyc.submissions.v2 import submissions_pb2, submissions_pb2_grpc


def main(image_path: str) -> int:
    with open(image_path, "rb") as f:
        image = f.read()
    channel = openkyc_client.connect(os.environ["OPENKYC_TARGET"], os.environ["OPENKYC_API_KEY"],
                                     ca_file=os.environ.get("OPENKYC_CA_FILE") or None)
    kyc = kyc_pb2_grpc.KycServiceStub(channel)
    submissions = submissions_pb2_grpc.SubmissionServiceStub(channel)
    try:
        created = kyc.Submit(kyc_pb2.SubmitRequest(user_id="example-python", country="NL"))
        profile_id = created.profile_id
        print(f"created profile {profile_id}")

        uploaded = kyc.UploadDocument(kyc_pb2.UploadDocumentRequest(
            profile_id=profile_id, doc_type=types_pb2.DocType.PASSPORT, country="NL", front_image=image))
        print(f'uploaded document {uploaded.document_id}: name read "{uploaded.fields.name}"')

        status = kyc.GetStatus(kyc_pb2.GetStatusRequest(profile_id=profile_id)).status
        print(f"status: overall={status.overall_status} document={status.document_status}")

        deleted = submissions.DeleteSubmission(submissions_pb2.DeleteSubmissionRequest(submission_id=profile_id))
        print(f"deleted: {deleted.content}")
        return 0
    except grpc.RpcError as e:
        print(f"OpenKYC answered {e.code().name} {openkyc_client.error_reason(e) or ''}: {e.details()}",
              file=sys.stderr)
        return 1
    finally:
        channel.close()


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print("usage: example.py IMAGE (with OPENKYC_TARGET, OPENKYC_API_KEY and optionally OPENKYC_CA_FILE set)",
              file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
