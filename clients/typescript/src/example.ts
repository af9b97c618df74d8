// One KYC case through the TypeScript client: create a profile, upload a
// passport image, read the status, delete the case.
//
//   OPENKYC_TARGET=localhost:8443 OPENKYC_API_KEY=... OPENKYC_CA_FILE=cert.pem \
//     node dist/src/example.js passport.png
//
// OPENKYC_CA_FILE is optional (default: Node's CAs); OPENKYC_PROTOCOL=grpc-web
// speaks gRPC-Web instead of gRPC. clients/run-example.sh typescript IMAGE
// generates, compiles and runs it.
import { readFileSync } from "node:fs";
import { createClient } from "@connectrpc/connect";
import { ConnectError } from "@connectrpc/connect";
import { KycService } from "../gen/openkyc/kyc/v1/kyc_pb.js";
import { DocType_Value } from "../gen/openkyc/kyc/v1/types_pb.js";
import { SubmissionService } from "../gen/openkyc/submissions/v2/submissions_pb.js";
import { errorReason } from "./index.js";
import { createOpenKycTransport } from "./node.js";

function env(name: string): string {
  const value = process.env[name];
  if (!value) {
    console.error(`${name} is not set`);
    process.exit(2);
  }
  return value;
}

async function main(imagePath: string): Promise<number> {
  const image = readFileSync(imagePath);
  const transport = createOpenKycTransport({
    baseUrl: `https://${env("OPENKYC_TARGET")}`,
    apiKey: env("OPENKYC_API_KEY"),
    caFile: process.env.OPENKYC_CA_FILE || undefined,
    protocol: process.env.OPENKYC_PROTOCOL === "grpc-web" ? "grpc-web" : "grpc",
  });
  const kyc = createClient(KycService, transport);
  const submissions = createClient(SubmissionService, transport);
  try {
    const created = await kyc.submit({ userId: "example-typescript", country: "NL" });
    const profileId = created.profileId;
    console.log(`created profile ${profileId}`);

    const uploaded = await kyc.uploadDocument({
      profileId, docType: DocType_Value.PASSPORT, country: "NL", frontImage: new Uint8Array(image),
    });
    console.log(`uploaded document ${uploaded.documentId}: name read "${uploaded.fields?.name ?? ""}"`);

    const status = (await kyc.getStatus({ profileId })).status;
    console.log(`status: overall=${status?.overallStatus} document=${status?.documentStatus}`);

    const deleted = await submissions.deleteSubmission({ submissionId: profileId });
    console.log(`deleted: ${deleted.content}`);
    return 0;
  } catch (e) {
    const err = ConnectError.from(e);
    console.error(`OpenKYC answered ${err.code} ${errorReason(err) ?? ""}: ${err.rawMessage}`);
    return 1;
  }
}

if (process.argv.length !== 3) {
  console.error("usage: example.js IMAGE (with OPENKYC_TARGET, OPENKYC_API_KEY and optionally OPENKYC_CA_FILE set)");
  process.exit(2);
}
process.exitCode = await main(process.argv[2]);
