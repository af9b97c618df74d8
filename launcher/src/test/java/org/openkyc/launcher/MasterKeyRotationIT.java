package org.openkyc.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.openkyc.launcher.People.ASTRONAUT;
import static org.openkyc.launcher.People.person;

import com.google.gson.JsonObject;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openkyc.api.ivms101.v1.Beneficiary;
import org.openkyc.api.ivms101.v1.NaturalPerson;
import org.openkyc.api.ivms101.v1.NaturalPersonName;
import org.openkyc.api.ivms101.v1.NaturalPersonNameId;
import org.openkyc.api.ivms101.v1.Originator;
import org.openkyc.api.screening.v1.ScreenRequest;
import org.openkyc.api.screening.v1.ScreeningServiceGrpc;
import org.openkyc.api.screening.v1.SubjectKind;
import org.openkyc.api.travelrule.v1.AssetInfo;
import org.openkyc.api.travelrule.v1.CounterpartVasp;
import org.openkyc.api.travelrule.v1.RegisterCounterpartVaspRequest;
import org.openkyc.api.travelrule.v1.RequestOutgoingVerificationRequest;
import org.openkyc.api.travelrule.v1.RequestVerificationRequest;
import org.openkyc.api.travelrule.v1.RequestVerificationResponse;
import org.openkyc.api.travelrule.v1.VaspAdminServiceGrpc;
import org.openkyc.api.travelrule.v1.VaspExchangeServiceGrpc;
import org.openkyc.api.travelrule.v1.VerificationServiceGrpc;
import org.openkyc.launcher.People.Person;
import org.openkyc.server.MasterKeyRotation;
import org.openkyc.server.storage.AesGcm;
import org.openkyc.server.storage.BlobStore;
import org.openkyc.server.storage.EncryptedFileBlobStore;
import org.openkyc.server.storage.MasterKeys;
import org.openkyc.server.webhook.WebhookSignature;
import org.openkyc.server.vision.TestVision;

/**
 * Retiring a master key: a product that served a whole journey under one master key (documents, a selfie,
 * screenings, a travel-rule record, an idempotent answer, a webhook endpoint, image blobs) is restarted on a new
 * key with the old one as previous, rotated while it serves (a first run interrupted midway, a second one
 * finishing), and then runs without the old key at all: every record still reads through the product, and the
 * status shows that the old key seals nothing any more.
 */
class MasterKeyRotationIT {

    private static final String WEB = "/api/web/kycService";
    private static final String HOOKS = "/admin/kyc/webhooks";
    private static final String REGISTRY = "name,date_of_birth,nationality,gender,identity_number,document_number\n"
            + "\"Lindqvist, Sigrid\",1988-04-12,,,,\n";

    @Test
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void afterARotationTheOldMasterKeyIsNoLongerNeeded() throws Exception {
        Path home = TestProduct.freshHome("rotation");
        byte[] oldKey = randomKey();
        byte[] newKey = randomKey();
        String oldId = MasterKeys.idOf(oldKey);
        String newId = MasterKeys.idOf(newKey);
        TestPki pki = new TestPki(home.resolve("pki"), "rotation");
        TestPki.Issued vaspCert = pki.issue("vasp-rot");
        List<String[]> received = new CopyOnWriteArrayList<>();
        com.linecorp.armeria.server.Server receiver = receiver(pki, received);
        // A counterpart VASP that takes the request and never answers: the record is stored as timed out.
        TestPki.Issued silentCert = pki.issue("vasp-silent");
        io.grpc.Server silent = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0),
                        TlsServerCredentials.create(silentCert.cert().toFile(), silentCert.key().toFile()))
                .addService(new VaspExchangeServiceGrpc.VaspExchangeServiceImplBase() {
                    @Override
                    public void requestVerification(RequestVerificationRequest request,
                            StreamObserver<RequestVerificationResponse> responseObserver) {
                        // never answers
                    }
                }).build().start();
        Map<String, String> env = new HashMap<>();
        env.put("OPENKYC_WEBHOOK_URL_HOSTS", "localhost:" + receiver.activeLocalPort());
        env.put("OPENKYC_WEBHOOK_CA_FILE", pki.caFile().toString());
        env.put("OPENKYC_WEBHOOK_BACKOFF_MS", "100");
        env.put("OPENKYC_WEBHOOK_POLL_MS", "50");
        env.put("OPENKYC_VASP_ID", "vasp-rot");
        env.put("OPENKYC_VASP_IVMS101", "{\"legalPerson\":{\"name\":{\"nameIdentifier\":[{\"legalPersonName\":"
                + "\"Rot Exchange\",\"legalPersonNameIdentifierType\":\"LEGL\"}]},\"geographicAddress\":[{"
                + "\"addressType\":\"GEOG\",\"postcode\":\"12345\",\"townName\":\"Seoul\",\"addressLine\":"
                + "[\"Gangnam-gu\"],\"country\":\"KR\"}],\"nationalIdentification\":{\"nationalIdentifier\":"
                + "\"vasp-rot\",\"nationalIdentifierType\":\"RAID\",\"registrationAuthority\":\"RA000001\"}}}");
        env.put("OPENKYC_TRAVEL_RULE_TENANT", "acme");
        env.put("OPENKYC_VASP_HOST", "127.0.0.1");
        env.put("OPENKYC_VASP_PORT", "0");
        env.put("OPENKYC_VASP_TLS_CERT", vaspCert.cert().toString());
        env.put("OPENKYC_VASP_TLS_KEY", vaspCert.key().toString());
        env.put("OPENKYC_VASP_TIMEOUT_MS", "1000");

        Person anna = person("LINDQVIST", "SIGRID", "NX4827165", LocalDate.of(1988, 4, 12));
        String submission;
        String applicant;
        String profile;
        long documentId;
        String freeScreening;
        String idemKey = "rot-" + UUID.randomUUID();
        String idemBody = "{\"userId\":\"rot-idem\",\"country\":\"SG\"}";
        String idemAnswer;
        String[] hook;
        String ocrName;
        long acme;
        try {
            // 1. The journey, under the old key only.
            TestProduct first = TestProduct.startAt(home, with(env, oldKey, null));
            try {
                acme = first.product.server().tenants().ensureTenant("acme");
                assertThat(first.product.server().identityRegistry().load(acme, REGISTRY)).isEqualTo(1);
                HttpResponse<String> r1 = first.postMultipart("/v2/submission/step1", first.clientKeyA,
                        new Multipart().text("issuingCountry", "NLD").text("email", "rot@example.com")
                                .text("idType", "passport").file("idImage", "f", "image/png", anna.passport()));
                assertThat(r1.statusCode()).as(r1.body()).isEqualTo(200);
                submission = TestProduct.json(r1).get("submissionId").getAsString();
                HttpResponse<String> r2 = first.postMultipart("/v2/submission/step2", first.clientKeyA,
                        confirmed(anna, submission).text("document_number", "nx 4827165"));
                assertThat(r2.statusCode()).as(r2.body()).isEqualTo(200);
                assertThat(TestProduct.json(r2).get("kycStatus").getAsString()).isEqualTo("approved");
                assertThat(TestProduct.json(r2).get("registryCheck").getAsString()).isEqualTo("match");
                applicant = item(first, submission).get("applicant_id").getAsString();

                profile = first.createProfile(first.clientKeyA, "rot-doc");
                HttpResponse<String> upload = first.postMultipart(WEB + "/document/upload", first.clientKeyA,
                        new Multipart().text("profileId", profile).text("docType", "PASSPORT").text("country", "SE")
                                .file("frontImage", "front.png", "image/png",
                                        TestVision.resource("passport-td3-specimen.png")));
                assertThat(upload.statusCode()).as(upload.body()).isEqualTo(200);
                JsonObject read = TestProduct.json(upload).getAsJsonObject("data");
                documentId = read.get("documentId").getAsLong();
                ocrName = read.toString();
                HttpResponse<String> confirm = first.call("POST", WEB + "/document/confirm?documentId=" + documentId,
                        first.clientKeyA, "{\"name\":\"ANNA MARIA ERIKSSON\",\"userModified\":true}");
                assertThat(confirm.statusCode()).as(confirm.body()).isEqualTo(200);

                freeScreening = first.withKey(ScreeningServiceGrpc.newBlockingStub(first.channel), first.clientKeyA)
                        .screen(ScreenRequest.newBuilder().setKind(SubjectKind.SUBJECT_KIND_PERSON)
                                .setName("Kim Jong-un").setNationality("KP").build())
                        .getScreening().getResourceId();

                HttpResponse<String> idem = idempotent(first, idemKey, idemBody);
                assertThat(idem.statusCode()).as(idem.body()).isEqualTo(200);
                idemAnswer = idem.body();

                hook = register(first, receiver.activeLocalPort());

                first.withKey(VaspAdminServiceGrpc.newBlockingStub(first.channel), first.adminKeyA)
                        .registerCounterpartVasp(RegisterCounterpartVaspRequest.newBuilder().setVasp(
                                CounterpartVasp.newBuilder().setId("vasp-silent").setName("Silent Exchange")
                                        .setEndpoint("localhost:" + ((InetSocketAddress) silent.getListenSockets()
                                                .get(0)).getPort()).setCaCertificatePem(pki.caPem())).build());
                first.withKey(VerificationServiceGrpc.newBlockingStub(first.channel), first.clientKeyA)
                        .requestOutgoingVerification(RequestOutgoingVerificationRequest.newBuilder()
                                .setBeneficiaryVaspId("vasp-silent")
                                .setAssetInfo(AssetInfo.newBuilder().setSymbol("ETH").setNetwork("Ethereum")
                                        .setAmount("0.5").setTradePrice("900").setTradeCurrency("USD")
                                        .setTradeIsoDatetime("2024-05-01T10:00:00.000Z"))
                                .setOriginatorAccountNumber("0xa0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0")
                                .setBeneficiaryAccountNumber("0x5811001506550d8356a215be229c15b6ef371a9b")
                                .setOriginator(Originator.newBuilder().addOriginatorPersons(natural("HOWARD", "Jane"))
                                        .addAccountNumber("0xa0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0"))
                                .setBeneficiary(Beneficiary.newBuilder().addBeneficiaryPersons(
                                        natural("CLARK", "Lawrence")))
                                .build());
                assertThat(first.call("GET", "/v1/verifications", first.clientKeyA, null).body()).contains("HOWARD");
            } finally {
                first.close();
            }

            // 2. The servers restart on the new key, the old one given as previous; the rotation runs while they
            // serve. Before it, the old key seals something of every kind.
            TestProduct second = TestProduct.startAt(home, with(env, newKey, oldKey));
            try {
                AesGcm master = new AesGcm(newKey, List.of(oldKey));
                BlobStore blobs = new EncryptedFileBlobStore(home.resolve("blobs"), master);
                var db = second.product.server().database();
                Map<String, Map<String, Long>> before = new MasterKeyRotation(db, master, blobs, 2).status();
                for (Map.Entry<String, Map<String, Long>> kind : before.entrySet()) {
                    assertThat(kind.getValue().getOrDefault(oldId, 0L)).as(kind.getKey()).isPositive();
                    assertThat(kind.getValue()).as(kind.getKey()).doesNotContainKey(MasterKeyRotation.UNREADABLE);
                }
                // While the rotation runs, the product writes with the new key.
                assertThat(second.createProfile(second.clientKeyA, "rot-during")).isNotBlank();

                // A first run stops midway (the blob store fails on the second blob); what it did is kept.
                AtomicInteger resealed = new AtomicInteger();
                BlobStore failing = new BlobStore() {
                    @Override
                    public String put(byte[] bytes) {
                        return blobs.put(bytes);
                    }

                    @Override
                    public java.util.Optional<byte[]> get(String key) {
                        return blobs.get(key);
                    }

                    @Override
                    public void delete(String key) {
                        blobs.delete(key);
                    }

                    @Override
                    public boolean exists(String key) {
                        return blobs.exists(key);
                    }

                    @Override
                    public String reseal(String key, boolean rewrite) {
                        if (rewrite && resealed.incrementAndGet() > 1) {
                            throw new java.io.UncheckedIOException(new java.io.IOException("disk gone"));
                        }
                        return blobs.reseal(key, rewrite);
                    }
                };
                assertThatThrownBy(() -> new MasterKeyRotation(db, master, failing, 2).rotate())
                        .hasMessageContaining("disk gone");
                Map<String, Map<String, Long>> midway = new MasterKeyRotation(db, master, blobs, 2).status();
                assertThat(midway.get(MasterKeyRotation.CASE_KEYS)).doesNotContainKey(oldId);
                assertThat(midway.get(MasterKeyRotation.BLOBS).get(newId)).isEqualTo(1L);
                assertThat(midway.get(MasterKeyRotation.BLOBS).get(oldId)).isPositive();

                // Run again: it finishes, and nothing is left under the old key.
                Map<String, Map<String, Long>> after = new MasterKeyRotation(db, master, blobs, 2).rotate();
                // The registry's hashes cannot be computed again (its names are not kept): the operator loads it
                // again, and until then it is looked up with the key it was loaded under.
                assertThat(after.remove(MasterKeyRotation.REGISTRIES)).containsOnlyKeys(oldId);
                assertThat(second.product.server().identityRegistry().load(acme, REGISTRY)).isEqualTo(1);
                for (Map.Entry<String, Map<String, Long>> kind : after.entrySet()) {
                    assertThat(kind.getValue()).as(kind.getKey()).doesNotContainKeys(oldId,
                            MasterKeyRotation.UNREADABLE);
                    assertThat(kind.getValue().getOrDefault(newId, 0L)).as(kind.getKey())
                            .isEqualTo(before.get(kind.getKey()).values().stream().mapToLong(Long::longValue).sum()
                                    + (kind.getKey().equals(MasterKeyRotation.CASE_KEYS) ? 1 : 0));
                }
                Map<String, Map<String, Long>> end = new MasterKeyRotation(db, master, blobs, 2).status();
                assertThat(end.remove(MasterKeyRotation.REGISTRIES)).containsOnlyKeys(newId);
                assertThat(end).isEqualTo(after);
            } finally {
                second.close();
            }
            // The blob files now open with the new key alone.
            BlobStore newOnly = new EncryptedFileBlobStore(home.resolve("blobs"), new AesGcm(newKey));
            try (var files = Files.walk(home.resolve("blobs"))) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    String key = f.getFileName().toString().replace(".blob", "");
                    assertThat(newOnly.reseal(key, false)).as(key).isEqualTo(newId);
                }
            }

            // 3. Without the old key: everything still reads through the product.
            TestProduct third = TestProduct.startAt(home, with(env, newKey, null));
            try {
                var db = third.product.server().database();
                AesGcm master = new AesGcm(newKey);
                Map<String, Map<String, Long>> status = new MasterKeyRotation(db, master,
                        new EncryptedFileBlobStore(home.resolve("blobs"), master), 500).status();
                status.forEach((kind, counts) -> assertThat(counts).as(kind).containsOnlyKeys(newId));

                // The case: its fields, its identity number (masked), its images and its screening report.
                JsonObject item = item(third, submission);
                assertThat(item.toString()).contains("SIGRID LINDQVIST");
                HttpResponse<String> selfie = third.call("GET", "/v2/image?submission_id=" + submission
                        + "&type=selfieImage", third.clientKeyA, null);
                assertThat(selfie.statusCode()).isEqualTo(200);
                HttpResponse<byte[]> selfieBytes = third.send(HttpRequest.newBuilder(URI.create(third.url(
                        "/v2/image?submission_id=" + submission + "&type=selfieImage")))
                        .header("x-api-key", third.clientKeyA).build(), HttpResponse.BodyHandlers.ofByteArray());
                assertThat(selfieBytes.body()).isEqualTo(ASTRONAUT);
                assertThat(third.call("GET", "/v2/image?submission_id=" + submission + "&type=idImage",
                        third.clientKeyA, null).statusCode()).isEqualTo(200);
                String caseScreening = item.getAsJsonObject("aml").get("resourceId").getAsString();
                for (String screening : List.of(caseScreening, freeScreening)) {
                    HttpResponse<String> report = third.call("GET", "/v2/report/aml?resourceId=" + screening,
                            third.clientKeyA, null);
                    assertThat(report.statusCode()).as(screening).isEqualTo(200);
                }
                // The face kept for applicant matching: the same person again is the same applicant.
                HttpResponse<String> again = third.postMultipart("/v2/submission/step1", third.clientKeyA,
                        new Multipart().text("issuingCountry", "NLD").text("email", "rot2@example.com")
                                .text("idType", "passport").file("idImage", "f", "image/png", anna.passport()));
                assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
                String second2 = TestProduct.json(again).get("submissionId").getAsString();
                HttpResponse<String> step2 = third.postMultipart("/v2/submission/step2", third.clientKeyA,
                        confirmed(anna, second2));
                assertThat(step2.statusCode()).as(step2.body()).isEqualTo(200);
                assertThat(TestProduct.json(step2).get("registryCheck").getAsString()).isEqualTo("match");
                assertThat(item(third, second2).get("applicant_id").getAsString()).isEqualTo(applicant);

                // The document's fields read back when confirmed again.
                HttpResponse<String> confirm = third.call("POST", WEB + "/document/confirm?documentId=" + documentId,
                        third.clientKeyA, "{\"name\":\"ANNA MARIA ERIKSSON\",\"userModified\":true}");
                assertThat(confirm.statusCode()).as(confirm.body()).isEqualTo(200);
                assertThat(ocrName).contains("ERIKSSON");

                // The travel-rule record.
                HttpResponse<String> verifications = third.call("GET", "/v1/verifications", third.clientKeyA, null);
                assertThat(verifications.statusCode()).as(verifications.body()).isEqualTo(200);
                assertThat(verifications.body()).contains("HOWARD").contains("CLARK");

                // The stored idempotent answer is given again.
                HttpResponse<String> replay = idempotent(third, idemKey, idemBody);
                assertThat(replay.statusCode()).isEqualTo(200);
                assertThat(replay.body()).isEqualTo(idemAnswer);

                // The webhook's secret still signs: a change of the case reaches the receiver, signed with it.
                received.clear();
                HttpResponse<String> changed = third.call("POST", "/admin/kyc/update-status", third.adminKeyA,
                        "{\"profileId\":\"" + profile + "\",\"status\":2,\"remark\":\"checked\"}");
                assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
                String[] delivery = awaitDelivery(received, profile);
                assertThat(WebhookSignature.verify(hook[1], delivery[1], delivery[2].getBytes(StandardCharsets.UTF_8),
                        Instant.now(), Duration.ofMinutes(10))).isTrue();
            } finally {
                third.close();
            }
        } finally {
            silent.shutdownNow();
            receiver.stop().join();
        }
    }

    // --- helpers

    private static byte[] randomKey() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return k;
    }

    private static Map<String, String> with(Map<String, String> env, byte[] key, byte[] previous) {
        Map<String, String> e = new HashMap<>(env);
        e.put("OPENKYC_DATA_KEY", Base64.getEncoder().encodeToString(key));
        if (previous != null) {
            e.put("OPENKYC_DATA_KEY_PREVIOUS", Base64.getEncoder().encodeToString(previous));
        }
        return e;
    }

    private static Multipart confirmed(Person who, String submissionId) {
        return new Multipart().text("submissionId", submissionId).file("faceImage", "f", "image/png", ASTRONAUT)
                .text("name", who.name()).text("date_of_birth", who.id().birth().toString())
                .text("gender", who.gender()).text("nationality", who.id().nationality())
                .text("date_of_expiry", who.id().expiry().toString());
    }

    private static JsonObject item(TestProduct p, String submission) {
        HttpResponse<String> r = p.call("GET", "/v2/submission?submission_id=" + submission, p.clientKeyA, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return TestProduct.json(r).getAsJsonArray("Items").get(0).getAsJsonObject();
    }

    private static HttpResponse<String> idempotent(TestProduct p, String key, String json) {
        return p.send(HttpRequest.newBuilder(URI.create(p.url(WEB + "/submit"))).timeout(Duration.ofSeconds(60))
                .header("x-api-key", p.clientKeyA).header("content-type", "application/json")
                .header("Idempotency-Key", key).POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static org.openkyc.api.ivms101.v1.Person natural(String primary, String secondary) {
        return org.openkyc.api.ivms101.v1.Person.newBuilder().setNaturalPerson(NaturalPerson.newBuilder().setName(NaturalPersonName.newBuilder()
                .addNameIdentifier(NaturalPersonNameId.newBuilder().setPrimaryIdentifier(primary)
                        .setSecondaryIdentifier(secondary).setNameIdentifierType("LEGL")))).build();
    }

    /** Registers a webhook endpoint on the receiver through REST; {webhookId, secret}. */
    private static String[] register(TestProduct p, int port) {
        HttpResponse<String> r = p.call("POST", HOOKS, p.adminKeyA, "{\"url\":\"https://localhost:" + port
                + "/hook\",\"eventTypes\":[\"kyc.case.status_changed\"]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonObject data = TestProduct.json(r).getAsJsonObject("data");
        return new String[] {data.getAsJsonObject("webhook").get("webhookId").getAsString(),
            data.get("secret").getAsString()};
    }

    /** An HTTPS receiver of webhook deliveries: {path, signature header, body} of each. */
    private static com.linecorp.armeria.server.Server receiver(TestPki pki, List<String[]> received) {
        TestPki.Issued cert = pki.issue("receiver");
        com.linecorp.armeria.server.Server s = com.linecorp.armeria.server.Server.builder()
                .https(0)
                .tls(cert.cert().toFile(), cert.key().toFile())
                .serviceUnder("/", (ctx, req) -> com.linecorp.armeria.common.HttpResponse.of(
                        req.aggregate().thenApply(agg -> {
                            received.add(new String[] {ctx.path(),
                                agg.headers().get(WebhookSignature.SIGNATURE_HEADER), agg.contentUtf8()});
                            return com.linecorp.armeria.common.HttpResponse.of(HttpStatus.OK,
                                    MediaType.PLAIN_TEXT_UTF_8, "thanks");
                        })))
                .build();
        s.start().join();
        return s;
    }

    /** The delivery about the profile, once the receiver has it (the test's timeout bounds the wait). */
    private static String[] awaitDelivery(List<String[]> received, String profile) throws InterruptedException {
        while (true) {
            for (String[] r : received) {
                if (r[2].contains(profile)) {
                    return r;
                }
            }
            Thread.sleep(50);
        }
    }
}
