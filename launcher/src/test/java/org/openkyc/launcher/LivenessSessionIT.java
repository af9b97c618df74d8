package org.openkyc.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openkyc.api.kyc.v1.GetLivenessSessionRequest;
import org.openkyc.api.kyc.v1.GetLivenessSessionResponse;
import org.openkyc.api.kyc.v1.GetStatusRequest;
import org.openkyc.api.kyc.v1.KycServiceGrpc;
import org.openkyc.api.kyc.v1.KycStatus;
import org.openkyc.api.kyc.v1.LivenessAction;
import org.openkyc.api.kyc.v1.LivenessCallbackRequest;
import org.openkyc.api.kyc.v1.StartLivenessRequest;
import org.openkyc.api.kyc.v1.StartLivenessResponse;
import org.openkyc.server.liveness.CallbackSignature;

/**
 * Liveness sessions (docs/API.md C2 start and session) and the signed liveness
 * callback (C1), over HTTPS through the gateway and over gRPC.
 *
 * <p>A provider signs a callback like this: {@code x-openkyc-timestamp} is the
 * Unix time in seconds, {@code x-openkyc-signature} the hex HMAC-SHA256 with
 * the shared secret over {@code timestamp + "." + rawBody} (the exact bytes
 * sent). Over gRPC, where there is no body, the signed payload is
 * {@code profileId + "\n" + sessionId + "\n" + confidence (two decimals) + "\n"
 * + result + "\n" + errorMessage}.
 */
class LivenessSessionIT {

    private static final String BASE = "/api/web/kycService";
    private static final CallbackSignature SIGNER = new CallbackSignature(TestProduct.LIVENESS_CALLBACK_SECRET);

    private final TestProduct p = TestProduct.get();

    private String newProfile(String key) {
        return p.createProfile(key, "user_" + UUID.randomUUID().toString().substring(0, 8));
    }

    private KycServiceGrpc.KycServiceBlockingStub grpc(String key) {
        return p.withKey(KycServiceGrpc.newBlockingStub(p.channel), key);
    }

    @Test
    void restStartThenSessionShowsThreeDistinctActionsAndFiveMinutes() {
        String pid = newProfile(p.clientKeyA);
        HttpResponse<String> r = p.call("POST", BASE + "/liveness/start?profileId=" + pid, p.clientKeyA, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonObject data = TestProduct.json(r).getAsJsonObject("data");
        String sessionId = data.get("sessionId").getAsString();
        JsonArray actions = data.getAsJsonArray("actions");
        Set<String> distinct = new HashSet<>();
        actions.forEach(a -> distinct.add(a.getAsString()));
        assertThat(distinct).hasSize(3).isSubsetOf("BLINK", "SMILE", "TURN_LEFT", "TURN_RIGHT", "NOD", "OPEN_MOUTH");
        Instant expires = Instant.parse(data.get("expiresAt").getAsString());

        HttpResponse<String> s = p.call("GET", BASE + "/liveness/session/" + sessionId, p.clientKeyA, null);
        assertThat(s.statusCode()).as(s.body()).isEqualTo(200);
        JsonObject session = TestProduct.json(s).getAsJsonObject("data");
        assertThat(session.get("sessionId").getAsString()).isEqualTo(sessionId);
        assertThat(session.get("profileId").getAsString()).isEqualTo(pid);
        assertThat(session.get("status").getAsString()).isEqualTo("created");
        assertThat(session.getAsJsonArray("actions")).isEqualTo(actions);
        Instant created = Instant.parse(session.get("createdAt").getAsString());
        assertThat(Duration.between(created, expires)).isEqualTo(Duration.ofMinutes(5));
        assertThat(Instant.parse(session.get("expiresAt").getAsString())).isEqualTo(expires);
    }

    @Test
    void restOtherTenantAndUnknownIdsAre404() {
        String pid = newProfile(p.clientKeyA);
        HttpResponse<String> start = p.call("POST", BASE + "/liveness/start?profileId=" + pid, p.clientKeyB, null);
        assertThat(start.statusCode()).isEqualTo(404);
        assertThat(TestProduct.json(start).get("message").getAsString()).contains("not found");

        String sessionId = TestProduct.json(p.call("POST", BASE + "/liveness/start?profileId=" + pid, p.clientKeyA,
                null)).getAsJsonObject("data").get("sessionId").getAsString();
        for (String[] c : new String[][] {{p.clientKeyB, sessionId}, {p.clientKeyA, "nosuchsession0000"}}) {
            HttpResponse<String> r = p.call("GET", BASE + "/liveness/session/" + c[1], c[0], null);
            assertThat(r.statusCode()).isEqualTo(404);
            JsonObject body = TestProduct.json(r);
            assertThat(body.get("code").getAsInt()).isNotZero();
            assertThat(body.get("message").getAsString()).contains("Liveness session").contains("not found");
            assertThat(body.has("data")).isFalse();
        }
        HttpResponse<String> none = p.call("POST", BASE + "/liveness/start", p.clientKeyA, null);
        assertThat(none.statusCode()).isEqualTo(400);
    }

    @Test
    void grpcStartAndSessionAndOtherTenant() {
        String pid = newProfile(p.clientKeyA);
        StartLivenessResponse started = grpc(p.clientKeyA).startLiveness(
                StartLivenessRequest.newBuilder().setProfileId(pid).build());
        assertThat(started.getSessionId()).isNotBlank();
        List<LivenessAction.Value> actions = started.getActionsList();
        assertThat(actions).hasSize(3).doesNotHaveDuplicates().doesNotContain(LivenessAction.Value.LIVENESS_ACTION_UNSPECIFIED);

        GetLivenessSessionResponse s = grpc(p.clientKeyA).getLivenessSession(GetLivenessSessionRequest.newBuilder()
                .setSessionId(started.getSessionId()).build());
        assertThat(s.getStatus()).isEqualTo("created");
        assertThat(s.getActionsList()).isEqualTo(actions);
        assertThat(s.getProfileId()).isEqualTo(pid);

        assertGrpc(() -> grpc(p.clientKeyB).getLivenessSession(GetLivenessSessionRequest.newBuilder()
                .setSessionId(started.getSessionId()).build()), Status.Code.NOT_FOUND);
        assertGrpc(() -> grpc(p.clientKeyB).startLiveness(StartLivenessRequest.newBuilder().setProfileId(pid)
                .build()), Status.Code.NOT_FOUND);
    }

    @Test
    void restSignedCallbackIsRecordedAndStatusShowsIt() {
        String pid = newProfile(p.clientKeyA);
        String body = "{\"profileId\":\"" + pid + "\",\"sessionId\":\"prov-77\",\"confidence\":93.5,"
                + "\"result\":\"success\"}";
        String ts = now();
        // A provider signing the canonical fields instead of the body is refused over REST.
        CallbackSignature.Fields f = new CallbackSignature.Fields(pid, "prov-77", 93.5, "success", "");
        assertThat(callback(p.clientKeyA, body, ts, SIGNER.sign(ts, f)).statusCode()).isEqualTo(401);
        HttpResponse<String> r = callback(p.clientKeyA, body, ts, signBody(ts, body));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(TestProduct.json(r).get("code").getAsInt()).isZero();

        JsonObject status = TestProduct.json(p.call("GET", BASE + "/status/" + pid, p.clientKeyA, null))
                .getAsJsonObject("data").getAsJsonObject("status");
        assertThat(status.get("livenessResult").getAsString()).isEqualTo("success");
        assertThat(status.get("livenessConfidence").getAsDouble()).isEqualTo(93.5);

        // The same request again is a replay.
        HttpResponse<String> replay = callback(p.clientKeyA, body, ts, signBody(ts, body));
        assertThat(replay.statusCode()).isEqualTo(401);
        assertThat(TestProduct.json(replay).get("message").getAsString()).contains("replay");
    }

    @Test
    void restBadSignatureStaleTimestampMissingHeadersAndNoKeyStoreNothing() {
        String pid = newProfile(p.clientKeyA);
        String body = "{\"profileId\":\"" + pid + "\",\"confidence\":12,\"result\":\"fail\","
                + "\"errorMessage\":\"no face\"}";
        String ts = now();
        String stale = Long.toString(Instant.now().minus(Duration.ofMinutes(6)).getEpochSecond());
        String tampered = body.replace("\"confidence\":12", "\"confidence\":99");

        // The signature of the original body does not cover a changed one.
        assertThat(callback(p.clientKeyA, tampered, ts, signBody(ts, body)).statusCode()).isEqualTo(401);
        HttpResponse<String> old = callback(p.clientKeyA, body, stale, signBody(stale, body));
        assertThat(old.statusCode()).isEqualTo(401);
        assertThat(TestProduct.json(old).get("message").getAsString()).contains("minutes");
        assertThat(callback(p.clientKeyA, body, null, null).statusCode()).isEqualTo(401);
        assertThat(callback(null, body, ts, signBody(ts, body)).statusCode()).isEqualTo(401);
        // Another tenant's key cannot record a result for this profile, even when correctly signed.
        assertThat(callback(p.clientKeyB, body, ts, signBody(ts, body)).statusCode()).isEqualTo(404);
        // A client cannot smuggle its own "raw body" past the gateway: neither in the message's rawBody field
        // (the gateway overwrites it with the bytes received) nor in the header that once carried it.
        String other = body.replace("\"confidence\":12", "\"confidence\":98");
        String otherBase64 = java.util.Base64.getEncoder()
                .encodeToString(other.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        String smuggling = body.replace("{\"profileId\"", "{\"rawBody\":\"" + otherBase64 + "\",\"profileId\"");
        assertThat(callback(p.clientKeyA, smuggling, ts, signBody(ts, other)).statusCode()).isEqualTo(401);
        HttpResponse<String> smuggled = callback(p.clientKeyA, body, ts, signBody(ts, other), otherBase64);
        assertThat(smuggled.statusCode()).isEqualTo(401);

        JsonObject status = TestProduct.json(p.call("GET", BASE + "/status/" + pid, p.clientKeyA, null))
                .getAsJsonObject("data").getAsJsonObject("status");
        assertThat(status.has("livenessResult")).isFalse();
        assertThat(status.has("livenessConfidence")).isFalse();
    }

    @Test
    void grpcSignedCallbackIsRecordedAndABadOneIsRefused() {
        String pid = newProfile(p.clientKeyA);
        LivenessCallbackRequest req = LivenessCallbackRequest.newBuilder().setProfileId(pid)
                .setConfidence(20).setResult("fail").setErrorMessage("eyes closed").build();
        CallbackSignature.Fields f = new CallbackSignature.Fields(pid, "", 20, "fail", "eyes closed");
        String ts = now();
        assertGrpc(() -> signed(p.clientKeyA, ts, TestProduct.corrupt(SIGNER.sign(ts, f))).livenessCallback(req),
                Status.Code.UNAUTHENTICATED);
        assertThat(signed(p.clientKeyA, ts, SIGNER.sign(ts, f)).livenessCallback(req))
                .isEqualTo(org.openkyc.api.kyc.v1.LivenessCallbackResponse.getDefaultInstance());
        KycStatus status = grpc(p.clientKeyA).getStatus(GetStatusRequest.newBuilder().setProfileId(pid).build())
                .getStatus();
        assertThat(status.getLivenessResult()).isEqualTo("fail");
        assertThat(status.getLivenessConfidence()).isEqualTo(20.0);
        assertGrpc(() -> signed(p.clientKeyA, ts, SIGNER.sign(ts, f)).livenessCallback(req),
                Status.Code.UNAUTHENTICATED);
    }

    private KycServiceGrpc.KycServiceBlockingStub signed(String key, String ts, String sig) {
        Metadata md = new Metadata();
        md.put(Metadata.Key.of("x-openkyc-timestamp", Metadata.ASCII_STRING_MARSHALLER), ts);
        md.put(Metadata.Key.of("x-openkyc-signature", Metadata.ASCII_STRING_MARSHALLER), sig);
        return grpc(key).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md));
    }

    private static String signBody(String ts, String body) {
        return SIGNER.sign(ts, body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private HttpResponse<String> callback(String key, String json, String ts, String sig) {
        return callback(key, json, ts, sig, null);
    }

    private HttpResponse<String> callback(String key, String json, String ts, String sig, String rawBodyHeader) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(p.url(BASE + "/callback/liveness")))
                .timeout(Duration.ofSeconds(30)).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (key != null) {
            b.header("x-api-key", key);
        }
        if (ts != null) {
            b.header("x-openkyc-timestamp", ts);
        }
        if (sig != null) {
            b.header("x-openkyc-signature", sig);
        }
        if (rawBodyHeader != null) {
            b.header("x-openkyc-raw-body-bin", rawBodyHeader);
        }
        return p.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String now() {
        return Long.toString(Instant.now().getEpochSecond());
    }

    private static void assertGrpc(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, Status.Code code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(code));
    }
}
