package org.openkyc.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.openkyc.launcher.People.video;
import static org.openkyc.launcher.People.videos;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.openkyc.api.kyc.v1.KycServiceGrpc;
import org.openkyc.api.kyc.v1.StartLivenessRequest;
import org.openkyc.api.kyc.v1.StartLivenessResponse;
import org.openkyc.api.kyc.v1.VerifyLivenessRequest;
import org.openkyc.api.kyc.v1.VerifyLivenessResponse;
import org.openkyc.api.submissions.v2.IdType;
import org.openkyc.api.submissions.v2.SubmissionServiceGrpc;
import org.openkyc.api.submissions.v2.SubmitStep1Request;
import org.openkyc.server.common.Ids;
import org.openkyc.server.document.MrzFormat;
import org.openkyc.server.document.SyntheticDocuments;
import org.openkyc.server.liveness.ChallengeAction;
import org.openkyc.server.liveness.SyntheticVideos;
import org.openkyc.server.storage.CaseMapper;
import org.openkyc.server.storage.LivenessMapper;

/**
 * The challenge-video liveness verify (docs/API.md C2) end to end: a case gets its document through
 * submission step 1 (a synthetic passport carrying the astronaut's portrait), a session is started,
 * and the requested actions are rendered from the same photo as short videos (synthetic: see
 * {@link SyntheticVideos}) and uploaded as multipart over HTTPS, or sent over gRPC. Covers the pass,
 * failures with their per-action results (wrong order, a still face, another person), and every
 * refusal, checking what was or was not recorded and whether the session was used.
 */
class LivenessVerifyIT {

    private static final String BASE = "/api/web/kycService";

    private final TestProduct p = TestProduct.get();

    // ------------------------------------------------------------------------------------ helpers

    /** A case with a document portrait: step 1 with a synthetic passport bearing the astronaut. */
    private String caseWithDocument() {
        try {
            Random rnd = new Random(UUID.randomUUID().getMostSignificantBits());
            SyntheticDocuments.Identity who = SyntheticDocuments.randomIdentity(rnd, MrzFormat.TD3);
            byte[] passport = SyntheticDocuments.render(who,
                    ImageIO.read(new ByteArrayInputStream(People.ASTRONAUT)), rnd);
            return p.withKey(SubmissionServiceGrpc.newBlockingStub(p.channel), p.clientKeyA)
                    .submitStep1(SubmitStep1Request.newBuilder().setIssuingCountry("NLD")
                            .setEmail("l" + UUID.randomUUID().toString().substring(0, 8) + "@example.com")
                            .setIdType(IdType.Value.passport).setIdImage(ByteString.copyFrom(passport)).build())
                    .getSubmissionId();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record Session(String id, List<ChallengeAction> actions) {}

    private Session start(String key, String profileId) {
        HttpResponse<String> r = p.call("POST", BASE + "/liveness/start?profileId=" + profileId, key, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonObject data = TestProduct.json(r).getAsJsonObject("data");
        List<ChallengeAction> actions = new ArrayList<>();
        for (JsonElement a : data.getAsJsonArray("actions")) {
            actions.add(ChallengeAction.valueOf(a.getAsString()));
        }
        return new Session(data.get("sessionId").getAsString(), actions);
    }

    /** The verify form; a null session, profile or video leaves its part out. */
    private static Multipart form(String sessionId, String profileId, List<byte[]> videos) {
        Multipart form = new Multipart();
        if (sessionId != null) {
            form.text("sessionId", sessionId);
        }
        if (profileId != null) {
            form.text("profileId", profileId);
        }
        for (int i = 0; i < videos.size(); i++) {
            if (videos.get(i) != null) {
                form.file("video" + (i + 1), "v" + (i + 1) + ".mp4", "video/mp4", videos.get(i));
            }
        }
        return form;
    }

    /** The multipart verify over HTTPS, as curl -F sends it. */
    private HttpResponse<String> verifyRest(String key, String sessionId, String profileId, List<byte[]> videos) {
        return p.postMultipart(BASE + "/liveness/verify", key, form(sessionId, profileId, videos));
    }

    private KycServiceGrpc.KycServiceBlockingStub grpc(String key) {
        return p.withKey(KycServiceGrpc.newBlockingStub(p.channel), key)
                .withDeadlineAfter(90, java.util.concurrent.TimeUnit.SECONDS);
    }

    private static VerifyLivenessRequest grpcRequest(Session s, String profileId, List<byte[]> videos) {
        return VerifyLivenessRequest.newBuilder().setSessionId(s.id()).setProfileId(profileId)
                .setVideo1(ByteString.copyFrom(videos.get(0))).setVideo2(ByteString.copyFrom(videos.get(1)))
                .setVideo3(ByteString.copyFrom(videos.get(2))).build();
    }

    private String sessionStatus(String sessionId) {
        HttpResponse<String> r = p.call("GET", BASE + "/liveness/session/" + sessionId, p.clientKeyA, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return TestProduct.json(r).getAsJsonObject("data").get("status").getAsString();
    }

    private LivenessMapper.SessionRow sessionRow(String sessionId) {
        long tenant = p.product.server().tenants().ensureTenant("acme");
        return p.product.server().database().read(s -> s.getMapper(LivenessMapper.class)
                .sessionByPublicId(tenant, sessionId));
    }

    private long results(String profileId) {
        long tenant = p.product.server().tenants().ensureTenant("acme");
        return p.product.server().database().read(s -> {
            CaseMapper.CaseRow c = s.getMapper(CaseMapper.class).caseByPublicId(tenant, profileId);
            return s.getMapper(LivenessMapper.class).countResults(c.id);
        });
    }

    private JsonObject status(String profileId) {
        HttpResponse<String> r = p.call("GET", BASE + "/status/" + profileId, p.clientKeyA, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return TestProduct.json(r).getAsJsonObject("data").getAsJsonObject("status");
    }

    private static JsonObject assertFailed(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
        JsonObject body = TestProduct.json(r);
        assertThat(body.get("code").getAsInt()).isEqualTo(20001);
        assertThat(body.get("message").getAsString()).startsWith("Liveness failed");
        JsonObject data = body.getAsJsonObject("data");
        assertThat(data.get("passed").getAsBoolean()).isFalse();
        assertThat(data.getAsJsonArray("list")).hasSize(3);
        return data;
    }

    private static void assertRefused(HttpResponse<String> r, int http, int code, String messagePart) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(http);
        JsonObject body = TestProduct.json(r);
        assertThat(body.get("code").getAsInt()).isEqualTo(code);
        assertThat(body.get("message").getAsString()).contains(messagePart);
        assertThat(body.has("data")).isFalse();
    }

    // ------------------------------------------------------------------------------------ tests

    @Test
    void restTheRequestedActionsByTheDocumentHolderPassAndStatusShowsIt() {
        String pid = caseWithDocument();
        Session s = start(p.clientKeyA, pid);
        long filesBefore = p.blobFiles();

        HttpResponse<String> r = verifyRest(p.clientKeyA, s.id(), pid, videos("astronaut", s.actions()));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonObject body = TestProduct.json(r);
        assertThat(body.get("code").getAsInt()).isZero();
        JsonObject data = body.getAsJsonObject("data");
        assertThat(data.get("passed").getAsBoolean()).isTrue();
        assertThat(data.get("faceMatchScore").getAsDouble()).isGreaterThanOrEqualTo(60);
        double confidence = data.get("confidence").getAsDouble();
        assertThat(confidence).isBetween(1.0, 100.0);
        JsonArray list = data.getAsJsonArray("list");
        assertThat(list).hasSize(3);
        for (int i = 0; i < 3; i++) {
            JsonObject a = list.get(i).getAsJsonObject();
            assertThat(a.get("action").getAsString()).isEqualTo(s.actions().get(i).name());
            assertThat(a.get("passed").getAsBoolean()).isTrue();
            assertThat(a.get("score").getAsDouble()).isGreaterThanOrEqualTo(confidence);
            assertThat(a.has("reason")).isFalse();
            // The frames that decided the action: milliseconds into its video, in order.
            assertThat(a.getAsJsonArray("decidingFramesMs")).isNotEmpty();
        }

        // A reviewer sees the same check action by action in the admin detail, with the deciding frames.
        HttpResponse<String> detail = p.call("GET", "/admin/kyc/detail/" + pid, p.adminKeyA, null);
        assertThat(detail.statusCode()).as(detail.body()).isEqualTo(200);
        JsonObject check = TestProduct.json(detail).getAsJsonObject("data").getAsJsonObject("liveness");
        assertThat(check.get("sessionId").getAsString()).isEqualTo(s.id());
        assertThat(check.get("result").getAsString()).isEqualTo("success");
        assertThat(check.get("confidence").getAsDouble()).isEqualTo(confidence);
        JsonArray seen = check.getAsJsonArray("actions");
        assertThat(seen).hasSize(3);
        for (int i = 0; i < 3; i++) {
            JsonObject a = seen.get(i).getAsJsonObject();
            JsonObject answered = list.get(i).getAsJsonObject();
            assertThat(a.get("action").getAsString()).isEqualTo(s.actions().get(i).name());
            assertThat(a.get("score").getAsDouble()).isEqualTo(answered.get("score").getAsDouble());
            assertThat(a.getAsJsonArray("decidingFramesMs")).isEqualTo(answered.getAsJsonArray("decidingFramesMs"));
        }

        // Recorded with the case, the session used and passed, no video kept.
        JsonObject st = status(pid);
        assertThat(st.get("livenessResult").getAsString()).isEqualTo("success");
        assertThat(st.get("livenessConfidence").getAsDouble()).isEqualTo(confidence);
        assertThat(st.get("faceMatchScore").getAsDouble()).isEqualTo(data.get("faceMatchScore").getAsDouble());
        assertThat(st.get("faceMatchDecision").getAsString()).isEqualTo("match");
        assertThat(sessionStatus(s.id())).isEqualTo("passed");
        assertThat(p.blobFiles()).isEqualTo(filesBefore);
        assertThat(results(pid)).isEqualTo(1);

        // The same session again is refused, and nothing more is recorded.
        assertRefused(verifyRest(p.clientKeyA, s.id(), pid, videos("astronaut", s.actions())), 409, 40900,
                "already used");
        assertThat(results(pid)).isEqualTo(1);
    }

    @Test
    void grpcVideosInTheWrongOrderFailWithTheResultInTheStatusDetail() {
        String pid = caseWithDocument();
        StartLivenessResponse started = grpc(p.clientKeyA).startLiveness(StartLivenessRequest.newBuilder()
                .setProfileId(pid).build());
        List<ChallengeAction> asked = started.getActionsList().stream()
                .map(a -> ChallengeAction.valueOf(a.name())).toList();
        Session s = new Session(started.getSessionId(), asked);
        // Each video shows the next action instead of its own.
        List<ChallengeAction> shifted = List.of(asked.get(1), asked.get(2), asked.get(0));

        assertThatThrownBy(() -> grpc(p.clientKeyA).verifyLiveness(grpcRequest(s, pid,
                videos("astronaut", shifted))))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).startsWith("Liveness failed: video");
                    com.google.rpc.Status st = StatusProto.fromThrowable(e);
                    ErrorInfo info = detail(st, ErrorInfo.class);
                    assertThat(info.getReason()).isEqualTo("LIVENESS_FAILED");
                    assertThat(info.getMetadataMap()).containsEntry("web_code", "20001");
                    VerifyLivenessResponse data = detail(st, VerifyLivenessResponse.class);
                    assertThat(data.getPassed()).isFalse();
                    assertThat(data.getListCount()).isEqualTo(3);
                    for (int i = 0; i < 3; i++) {
                        assertThat(data.getList(i).getAction().name()).isEqualTo(asked.get(i).name());
                    }
                    assertThat(data.getListList()).anySatisfy(a -> {
                        assertThat(a.getPassed()).isFalse();
                        assertThat(a.getReason()).isIn("ACTION_NOT_SEEN", "NO_MOTION");
                    });
                    assertThat(data.getConfidence()).isLessThan(50);
                });
        assertThat(sessionStatus(s.id())).isEqualTo("failed");
        assertThat(status(pid).get("livenessResult").getAsString()).isEqualTo("fail");
        assertThat(results(pid)).isEqualTo(1);
    }

    @Test
    void restAStillFaceFailsEveryActionWith20001AndDataList() {
        String pid = caseWithDocument();
        Session s = start(p.clientKeyA, pid);
        byte[] still = video("astronaut", null);
        JsonObject data = assertFailed(verifyRest(p.clientKeyA, s.id(), pid, List.of(still, still, still)));
        JsonArray list = data.getAsJsonArray("list");
        for (int i = 0; i < 3; i++) {
            JsonObject a = list.get(i).getAsJsonObject();
            assertThat(a.get("action").getAsString()).isEqualTo(s.actions().get(i).name());
            assertThat(a.get("passed").getAsBoolean()).isFalse();
            assertThat(a.get("reason").getAsString()).isIn("NO_MOTION", "ACTION_NOT_SEEN");
        }
        // The face is still the document holder's.
        assertThat(data.get("faceMatchScore").getAsDouble()).isGreaterThanOrEqualTo(60);
        assertThat(sessionStatus(s.id())).isEqualTo("failed");
        assertThat(status(pid).get("livenessResult").getAsString()).isEqualTo("fail");
    }

    @Test
    void restAnotherPersonDoingTheActionsFailsOnTheFaceMatch() {
        String pid = caseWithDocument();
        Session s = start(p.clientKeyA, pid);
        JsonObject data = assertFailed(verifyRest(p.clientKeyA, s.id(), pid, videos("hopper", s.actions())));
        assertThat(data.get("faceMatchScore").getAsDouble()).isLessThan(30);
        assertThat(data.get("reason").getAsString()).isEqualTo("FACE_CHANGED");
        assertThat(data.get("confidence").getAsDouble()).isLessThan(30);
        assertThat(sessionStatus(s.id())).isEqualTo("failed");
        assertThat(status(pid).get("livenessResult").getAsString()).isEqualTo("fail");
    }

    @Test
    void aProfileWithoutADocumentIsRefusedAndTheSessionIsNotUsed() {
        String pid = p.createProfile(p.clientKeyA, "no-document-user");
        Session s = start(p.clientKeyA, pid);
        byte[] any = "not judged".getBytes(StandardCharsets.UTF_8);
        assertRefused(verifyRest(p.clientKeyA, s.id(), pid, List.of(any, any, any)), 409, 40900,
                "upload the document first");
        assertThat(sessionRow(s.id()).consumedAt).isNull();
        assertThat(sessionStatus(s.id())).isEqualTo("created");
        assertThat(results(pid)).isZero();
        // The same over gRPC.
        assertThatThrownBy(() -> grpc(p.clientKeyA).verifyLiveness(grpcRequest(s, pid, List.of(any, any, any))))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION));
        assertThat(sessionRow(s.id()).consumedAt).isNull();
    }

    @Test
    void badInputIs400AndLeavesTheSessionUnused() {
        String pid = caseWithDocument();
        Session s = start(p.clientKeyA, pid);
        byte[] any = "x".getBytes(StandardCharsets.UTF_8);
        assertRefused(verifyRest(p.clientKeyA, s.id(), pid, java.util.Arrays.asList(any, null, any)), 400, 40000,
                "video2 is required");
        assertRefused(verifyRest(p.clientKeyA, null, pid, List.of(any, any, any)), 400, 40000,
                "sessionId is required");
        assertRefused(verifyRest(p.clientKeyA, s.id(), null, List.of(any, any, any)), 400, 40000,
                "profileId is required");
        // Not multipart at all.
        HttpResponse<String> json = p.call("POST", BASE + "/liveness/verify", p.clientKeyA,
                "{\"sessionId\":\"" + s.id() + "\",\"profileId\":\"" + pid + "\"}");
        assertThat(json.statusCode()).isEqualTo(415);
        assertThat(TestProduct.json(json).get("code").getAsInt()).isEqualTo(41500);
        assertThat(sessionRow(s.id()).consumedAt).isNull();
        assertThat(results(pid)).isZero();
    }

    @Test
    void aVideoOverTheServersVideoLimitIs413AndLeavesTheSessionUnused() {
        String pid = caseWithDocument();
        Session s = start(p.clientKeyA, pid);
        byte[] any = "x".getBytes(StandardCharsets.UTF_8);
        // Under the gateway's 60 MiB for the upload, over the server's 30 MB for one video.
        byte[] huge = new byte[31 * 1024 * 1024];
        assertRefused(verifyRest(p.clientKeyA, s.id(), pid, List.of(any, huge, any)), 413, 41300,
                "video2 is larger than");
        assertThat(sessionRow(s.id()).consumedAt).isNull();
        assertThat(results(pid)).isZero();
    }

    @Test
    void unknownExpiredAndOtherProfileSessionsAndOtherTenantsAreRefused() {
        String pid = caseWithDocument();
        String other = caseWithDocument();
        byte[] any = "x".getBytes(StandardCharsets.UTF_8);
        List<byte[]> three = List.of(any, any, any);

        // A session of another profile: refused, and that session stays usable for its own profile.
        Session ofOther = start(p.clientKeyA, other);
        assertRefused(verifyRest(p.clientKeyA, ofOther.id(), pid, three), 409, 40900, "another profile");
        assertThat(sessionRow(ofOther.id()).consumedAt).isNull();

        // Unknown session.
        assertRefused(verifyRest(p.clientKeyA, "nosuchsession000000000000", pid, three), 404, 40404, "not found");

        // An expired session (inserted with an expiry in the past).
        String expired = insertSession(pid, LocalDateTime.now(ZoneOffset.UTC).minusMinutes(10));
        assertRefused(verifyRest(p.clientKeyA, expired, pid, three), 409, 40900, "expired");

        // Another tenant sees neither the profile nor the session.
        Session mine = start(p.clientKeyA, pid);
        assertRefused(verifyRest(p.clientKeyB, mine.id(), pid, three), 404, 40401, "not found");
        assertThat(sessionRow(mine.id()).consumedAt).isNull();
        assertThat(results(pid)).isZero();
        assertThat(results(other)).isZero();
    }

    private String insertSession(String profileId, LocalDateTime expiresAt) {
        long tenant = p.product.server().tenants().ensureTenant("acme");
        return p.product.server().database().inTransaction(s -> {
            CaseMapper.CaseRow c = s.getMapper(CaseMapper.class).caseByPublicId(tenant, profileId);
            LivenessMapper.SessionRow row = new LivenessMapper.SessionRow();
            row.publicId = Ids.random(24);
            row.tenantId = tenant;
            row.caseId = c.id;
            row.actions = "BLINK,SMILE,NOD";
            row.status = "created";
            row.createdAt = expiresAt.minusMinutes(5);
            row.expiresAt = expiresAt;
            s.getMapper(LivenessMapper.class).insertSession(row);
            return row.publicId;
        });
    }

    private static <T extends com.google.protobuf.Message> T detail(com.google.rpc.Status st, Class<T> type) {
        for (Any a : st.getDetailsList()) {
            if (a.is(type)) {
                try {
                    return a.unpack(type);
                } catch (InvalidProtocolBufferException e) {
                    throw new AssertionError(e);
                }
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " in " + st);
    }

    @Test
    void grpcPassUsesTheSessionOnce() {
        String pid = caseWithDocument();
        StartLivenessResponse started = grpc(p.clientKeyA).startLiveness(StartLivenessRequest.newBuilder()
                .setProfileId(pid).build());
        List<ChallengeAction> asked = started.getActionsList().stream()
                .map(a -> ChallengeAction.valueOf(a.name())).toList();
        Session s = new Session(started.getSessionId(), asked);
        VerifyLivenessResponse r = grpc(p.clientKeyA).verifyLiveness(grpcRequest(s, pid, videos("astronaut", asked)));
        assertThat(r.getListCount()).isEqualTo(3);
        assertThat(r.getPassed()).isTrue();
        assertThat(r.getReason()).isEqualTo("PASSED");
        assertThat(r.getFaceMatchScore()).isGreaterThanOrEqualTo(60);
        assertThatThrownBy(() -> grpc(p.clientKeyA).verifyLiveness(grpcRequest(s, pid, videos("astronaut", asked))))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                    assertThat(e.getStatus().getDescription()).contains("already used");
                });
    }
}
