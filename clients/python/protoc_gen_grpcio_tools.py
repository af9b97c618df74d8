#!/usr/bin/env python3
"""A protoc plugin (for buf generate) that runs grpcio-tools.

grpcio-tools carries its own protoc with the Python, .pyi and gRPC Python
generators built in, matched to the protobuf and grpcio versions it installs;
it has no protoc-gen-* program that buf could call. This plugin takes the
CodeGeneratorRequest buf sends, hands its files to grpcio-tools' protoc as a
descriptor set, and answers with what protoc wrote:
  <file>_pb2.py, <file>_pb2.pyi, <file>_pb2_grpc.py.
Run with the Python of the environment where grpcio-tools is installed
(clients/python/buf.gen.yaml: `python3` first on PATH).
"""
import os
import sys
import tempfile

from google.protobuf import descriptor_pb2
from google.protobuf.compiler import plugin_pb2
from grpc_tools import protoc


def main() -> int:
    request = plugin_pb2.CodeGeneratorRequest.FromString(sys.stdin.buffer.read())
    response = plugin_pb2.CodeGeneratorResponse()
    response.supported_features = plugin_pb2.CodeGeneratorResponse.FEATURE_PROTO3_OPTIONAL
    with tempfile.TemporaryDirectory() as tmp:
        descriptors = os.path.join(tmp, "request.binpb")
        out = os.path.join(tmp, "out")
        os.mkdir(out)
        with open(descriptors, "wb") as f:
            f.write(descriptor_pb2.FileDescriptorSet(file=request.proto_file).SerializeToString())
        args = [
            "grpc_tools.protoc",
            f"--descriptor_set_in={descriptors}",
            f"--python_out={out}",
            f"--pyi_out={out}",
            f"--grpc_python_out={out}",
            *request.file_to_generate,
        ]
        # protoc prints its own errors on stderr.
        if protoc.main(args) != 0:
            response.error = "grpcio-tools protoc failed (its message is above)"
        else:
            for root, _, names in os.walk(out):
                for name in sorted(names):
                    path = os.path.join(root, name)
                    generated = response.file.add()
                    generated.name = os.path.relpath(path, out).replace(os.sep, "/")
                    with open(path, encoding="utf-8") as f:
                        generated.content = f.read()
    sys.stdout.buffer.write(response.SerializeToString())
    return 0


if __name__ == "__main__":
    sys.exit(main())
