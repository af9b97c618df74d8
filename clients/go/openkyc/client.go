// Package openkyc is a thin client layer over the generated OpenKYC API
// (../gen, made by clients/generate.sh go): a TLS connection to the gateway's
// public HTTPS port on which every call carries the API key, has a deadline,
// and the read-only calls are retried when no server could be reached.
//
//	conn, err := openkyc.Dial("kyc.example.com:443", openkyc.Options{APIKey: key, CAFile: "ca.pem"})
//	kyc := kycv1.NewKycServiceClient(conn)
//	created, err := kyc.Submit(ctx, &kycv1.SubmitRequest{UserId: "user-1", Country: "SG"})
package openkyc

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

// DefaultTimeout is the deadline of a call whose context has none.
const DefaultTimeout = 30 * time.Second

// ReadOnlyMethods are the calls that read and change nothing, as
// {service, method}: retried on UNAVAILABLE only. Calls that create or change
// something are never retried by the client; send an idempotency key
// (WithIdempotencyKey) and repeat them yourself.
var ReadOnlyMethods = [][2]string{
	{"openkyc.kyc.v1.KycService", "GetStatus"},
	{"openkyc.kyc.v1.KycService", "GetLivenessSession"},
	{"openkyc.kyc.v1.KycAdminService", "ListProfiles"},
	{"openkyc.kyc.v1.KycAdminService", "GetProfileDetail"},
	{"openkyc.submissions.v2.SubmissionService", "GetSubmissions"},
	{"openkyc.submissions.v2.SubmissionService", "GetApplicantSubmissions"},
	{"openkyc.submissions.v2.SubmissionService", "GetAmlReport"},
	{"openkyc.submissions.v2.SubmissionService", "GetImage"},
	{"openkyc.screening.v1.ScreeningService", "GetScreening"},
	{"openkyc.travelrule.v1.VerificationService", "ListVerifications"},
}

// Options of Dial.
type Options struct {
	// APIKey is sent with every call (x-api-key). Required.
	APIKey string
	// CAFile is a PEM file with the CA (or the development gateway's
	// self-signed certificate) to trust instead of the system's CAs.
	CAFile string
	// Timeout is the deadline of a call whose context has none (default 30 s).
	Timeout time.Duration
	// MaxAttempts of a read-only call on UNAVAILABLE, 1 to 5 (default 3; 1 = no retry).
	MaxAttempts int
	// DialOptions are added after the client's own.
	DialOptions []grpc.DialOption
}

// APIKey is the API key as per-call credentials; gRPC sends it only over TLS.
type APIKey string

// GetRequestMetadata implements credentials.PerRPCCredentials.
func (k APIKey) GetRequestMetadata(context.Context, ...string) (map[string]string, error) {
	return map[string]string{"x-api-key": string(k)}, nil
}

// RequireTransportSecurity implements credentials.PerRPCCredentials: the key is a secret.
func (APIKey) RequireTransportSecurity() bool { return true }

// Dial opens a connection to target ("host:port").
func Dial(target string, o Options) (*grpc.ClientConn, error) {
	if o.APIKey == "" {
		return nil, errors.New("openkyc: the API key is empty")
	}
	if o.Timeout == 0 {
		o.Timeout = DefaultTimeout
	}
	if o.Timeout < 0 {
		return nil, errors.New("openkyc: Timeout must be positive")
	}
	if o.MaxAttempts == 0 {
		o.MaxAttempts = 3
	}
	if o.MaxAttempts < 1 || o.MaxAttempts > 5 {
		return nil, errors.New("openkyc: MaxAttempts must be 1 to 5")
	}
	tlsConfig := &tls.Config{MinVersion: tls.VersionTLS12}
	if o.CAFile != "" {
		pem, err := os.ReadFile(o.CAFile)
		if err != nil {
			return nil, fmt.Errorf("openkyc: reading the CA file: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("openkyc: no PEM certificate in %s", o.CAFile)
		}
		tlsConfig.RootCAs = pool
	}
	opts := []grpc.DialOption{
		grpc.WithTransportCredentials(credentials.NewTLS(tlsConfig)),
		grpc.WithPerRPCCredentials(APIKey(o.APIKey)),
		grpc.WithUnaryInterceptor(defaultTimeout(o.Timeout)),
	}
	if o.MaxAttempts > 1 {
		opts = append(opts, grpc.WithDefaultServiceConfig(serviceConfig(o.MaxAttempts)))
	} else {
		opts = append(opts, grpc.WithDisableRetry())
	}
	return grpc.NewClient(target, append(opts, o.DialOptions...)...)
}

func serviceConfig(maxAttempts int) string {
	names := make([]map[string]string, 0, len(ReadOnlyMethods))
	for _, m := range ReadOnlyMethods {
		names = append(names, map[string]string{"service": m[0], "method": m[1]})
	}
	config := map[string]any{"methodConfig": []any{map[string]any{
		"name": names,
		"retryPolicy": map[string]any{
			"maxAttempts":          maxAttempts,
			"initialBackoff":       "0.2s",
			"maxBackoff":           "2s",
			"backoffMultiplier":    2,
			"retryableStatusCodes": []string{"UNAVAILABLE"},
		},
	}}}
	b, err := json.Marshal(config)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func defaultTimeout(d time.Duration) grpc.UnaryClientInterceptor {
	return func(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn,
		invoker grpc.UnaryInvoker, opts ...grpc.CallOption) error {
		if _, ok := ctx.Deadline(); !ok {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, d)
			defer cancel()
		}
		return invoker(ctx, method, req, reply, cc, opts...)
	}
}

// WithIdempotencyKey returns a context whose create or change call carries
// the key, so that a repeat does not act twice (1 to 255 printable ASCII
// characters, unique per operation).
func WithIdempotencyKey(ctx context.Context, key string) context.Context {
	return metadata.AppendToOutgoingContext(ctx, "idempotency-key", key)
}

// ErrorReason is the documented reason of an OpenKYC error (e.g.
// PROFILE_NOT_FOUND): the google.rpc.ErrorInfo in the error's details; "" when
// it has none.
func ErrorReason(err error) string {
	s, ok := status.FromError(err)
	if !ok {
		return ""
	}
	for _, d := range s.Details() {
		if info, ok := d.(*errdetails.ErrorInfo); ok {
			return info.GetReason()
		}
	}
	return ""
}
