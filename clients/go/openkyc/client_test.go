package openkyc

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

func TestErrorReasonReadsTheErrorInfo(t *testing.T) {
	s, err := status.New(codes.NotFound, "Profile not found").WithDetails(
		&errdetails.ErrorInfo{Reason: "PROFILE_NOT_FOUND", Domain: "openkyc"})
	if err != nil {
		t.Fatal(err)
	}
	if got := ErrorReason(s.Err()); got != "PROFILE_NOT_FOUND" {
		t.Errorf("ErrorReason = %q, want PROFILE_NOT_FOUND", got)
	}
	if got := ErrorReason(errors.New("not a status")); got != "" {
		t.Errorf("ErrorReason of a plain error = %q, want empty", got)
	}
}

func TestTheRetryConfigNamesOnlyReadOnlyMethods(t *testing.T) {
	var config struct {
		MethodConfig []struct {
			Name []struct{ Service, Method string }
			RetryPolicy struct {
				MaxAttempts          int
				RetryableStatusCodes []string
			}
		}
	}
	if err := json.Unmarshal([]byte(serviceConfig(3)), &config); err != nil {
		t.Fatal(err)
	}
	mc := config.MethodConfig[0]
	if mc.RetryPolicy.MaxAttempts != 3 || len(mc.RetryPolicy.RetryableStatusCodes) != 1 ||
		mc.RetryPolicy.RetryableStatusCodes[0] != "UNAVAILABLE" {
		t.Errorf("retry policy = %+v", mc.RetryPolicy)
	}
	for _, n := range mc.Name {
		if n.Method == "Submit" || n.Method == "UploadDocument" || n.Method == "DeleteSubmission" {
			t.Errorf("%s/%s changes something and must not be retried", n.Service, n.Method)
		}
	}
}

func TestDialChecksItsOptions(t *testing.T) {
	if _, err := Dial("localhost:1", Options{}); err == nil {
		t.Error("Dial without an API key succeeded")
	}
	if _, err := Dial("localhost:1", Options{APIKey: "k", MaxAttempts: 6}); err == nil {
		t.Error("Dial with 6 attempts succeeded")
	}
	if _, err := Dial("localhost:1", Options{APIKey: "k", CAFile: "/nonexistent.pem"}); err == nil {
		t.Error("Dial with a missing CA file succeeded")
	}
}

func TestTheKeyNeedsTLSAndTheIdempotencyKeyTravels(t *testing.T) {
	if !APIKey("k").RequireTransportSecurity() {
		t.Error("the API key would be sent over plain text")
	}
	md, _ := metadata.FromOutgoingContext(WithIdempotencyKey(context.Background(), "order-42"))
	if got := md.Get("idempotency-key"); len(got) != 1 || got[0] != "order-42" {
		t.Errorf("idempotency-key = %v", got)
	}
}
