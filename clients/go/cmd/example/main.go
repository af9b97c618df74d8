// Command example runs one KYC case through the Go client: create a profile,
// upload a passport image, read the status, delete the case.
//
//	OPENKYC_TARGET=localhost:8443 OPENKYC_API_KEY=... OPENKYC_CA_FILE=cert.pem \
//	  go run ./cmd/example passport.png
//
// OPENKYC_CA_FILE is optional (default: the system's CAs).
// clients/run-example.sh go IMAGE generates the code and runs it.
package main

import (
	"context"
	"fmt"
	"os"

	"google.golang.org/grpc/status"

	kycv1 "github.com/openkyc/openkyc/clients/go/gen/openkyc/kyc/v1"
	submissionsv2 "github.com/openkyc/openkyc/clients/go/gen/openkyc/submissions/v2"
	"github.com/openkyc/openkyc/clients/go/openkyc"
)

func env(name string) string {
	v := os.Getenv(name)
	if v == "" {
		fmt.Fprintf(os.Stderr, "%s is not set\n", name)
		os.Exit(2)
	}
	return v
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: example IMAGE (with OPENKYC_TARGET, OPENKYC_API_KEY and optionally OPENKYC_CA_FILE set)")
		os.Exit(2)
	}
	if err := run(os.Args[1]); err != nil {
		s, _ := status.FromError(err)
		fmt.Fprintf(os.Stderr, "OpenKYC answered %s %s: %s\n", s.Code(), openkyc.ErrorReason(err), s.Message())
		os.Exit(1)
	}
}

func run(imagePath string) error {
	image, err := os.ReadFile(imagePath)
	if err != nil {
		return err
	}
	conn, err := openkyc.Dial(env("OPENKYC_TARGET"), openkyc.Options{
		APIKey: env("OPENKYC_API_KEY"),
		CAFile: os.Getenv("OPENKYC_CA_FILE"),
	})
	if err != nil {
		return err
	}
	defer conn.Close()
	kyc := kycv1.NewKycServiceClient(conn)
	submissions := submissionsv2.NewSubmissionServiceClient(conn)
	ctx := context.Background()

	created, err := kyc.Submit(ctx, &kycv1.SubmitRequest{UserId: "example-go", Country: "NL"})
	if err != nil {
		return err
	}
	profileID := created.GetProfileId()
	fmt.Printf("created profile %s\n", profileID)

	uploaded, err := kyc.UploadDocument(ctx, &kycv1.UploadDocumentRequest{
		ProfileId: profileID, DocType: kycv1.DocType_PASSPORT, Country: "NL", FrontImage: image,
	})
	if err != nil {
		return err
	}
	fmt.Printf("uploaded document %d: name read %q\n", uploaded.GetDocumentId(),
		uploaded.GetFields().GetName())

	st, err := kyc.GetStatus(ctx, &kycv1.GetStatusRequest{ProfileId: profileID})
	if err != nil {
		return err
	}
	fmt.Printf("status: overall=%s document=%s\n", st.GetStatus().GetOverallStatus(),
		st.GetStatus().GetDocumentStatus())

	deleted, err := submissions.DeleteSubmission(ctx, &submissionsv2.DeleteSubmissionRequest{SubmissionId: profileID})
	if err != nil {
		return err
	}
	fmt.Printf("deleted: %s\n", deleted.GetContent())
	return nil
}
