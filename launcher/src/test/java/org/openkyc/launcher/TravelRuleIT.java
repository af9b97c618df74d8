package org.openkyc.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import com.google.protobuf.ByteString;
import org.openkyc.api.ivms101.v1.Address;
import org.openkyc.api.ivms101.v1.Beneficiary;
import org.openkyc.api.ivms101.v1.DateAndPlaceOfBirth;
import org.openkyc.api.ivms101.v1.NaturalPerson;
import org.openkyc.api.ivms101.v1.NaturalPersonName;
import org.openkyc.api.ivms101.v1.NaturalPersonNameId;
import org.openkyc.api.ivms101.v1.OriginatingVasp;
import org.openkyc.api.ivms101.v1.Originator;
import org.openkyc.api.ivms101.v1.Person;
import org.openkyc.api.kyc.v1.KycAdminServiceGrpc;
import org.openkyc.api.kyc.v1.CreateWebhookRequest;
import org.openkyc.api.kyc.v1.KycServiceGrpc;
import org.openkyc.api.kyc.v1.ListWebhookDeliveriesRequest;
import org.openkyc.api.kyc.v1.ListWebhookDeliveriesResponse;
import org.openkyc.api.kyc.v1.WebhookAdminServiceGrpc;
import org.openkyc.api.kyc.v1.WebhookDelivery;
import org.openkyc.api.kyc.v1.SubmitRequest;
import org.openkyc.api.kyc.v1.UpdateStatusRequest;
import org.openkyc.api.kyc.v1.UploadDocumentRequest;
import org.openkyc.api.kyc.v1.ConfirmDocumentRequest;
import org.openkyc.api.kyc.v1.ConfirmedFields;
import org.openkyc.api.kyc.v1.DocType;
import org.openkyc.api.travelrule.v1.ActionType;
import org.openkyc.api.travelrule.v1.AddSupportedAssetRequest;
import org.openkyc.api.travelrule.v1.AddWalletAddressRequest;
import org.openkyc.api.travelrule.v1.AssetInfo;
import org.openkyc.api.travelrule.v1.CounterpartVasp;
import org.openkyc.api.travelrule.v1.ListCounterpartVaspsRequest;
import org.openkyc.api.travelrule.v1.ListVerificationsRequest;
import org.openkyc.api.travelrule.v1.ListVerificationsResponse;
import org.openkyc.api.travelrule.v1.ListWalletAddressesRequest;
import org.openkyc.api.travelrule.v1.RegisterCounterpartVaspRequest;
import org.openkyc.api.travelrule.v1.ReportOutgoingTransactionRequest;
import org.openkyc.api.travelrule.v1.RequestOutgoingVerificationRequest;
import org.openkyc.api.travelrule.v1.RequestVerificationRequest;
import org.openkyc.api.travelrule.v1.RequestVerificationResponse;
import org.openkyc.api.travelrule.v1.SupportedAsset;
import org.openkyc.api.travelrule.v1.VaspAdminServiceGrpc;
import org.openkyc.api.travelrule.v1.VaspExchangeServiceGrpc;
import org.openkyc.api.travelrule.v1.Verification;
import org.openkyc.api.travelrule.v1.VerificationResult;
import org.openkyc.api.travelrule.v1.VerificationServiceGrpc;
import org.openkyc.api.travelrule.v1.WalletAddress;
import org.openkyc.server.auth.Role;

/**
 * Two complete products (two embedded databases, servers, gateways) on
 * loopback acting as VASP A (originator) and VASP B (beneficiary), registered
 * with each other over the mutual-TLS exchange. Drives one verification to
 * each result and reason code through the real exchange, reports a
 * transaction, and reads both sides through GET /v1/verifications over HTTPS
 * and through gRPC.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TravelRuleIT {

    static final String TENANT = "acme";
    private static final String ADDR_OK = "0x5811001506550d8356a215be229c15b6ef371a9b";
    private static final String ADDR_PENDING = "0x1111111111111111111111111111111111111111";
    private static final String ADDR_NO_NAME = "bc1qnonameaddress000000000000000000000000";
    private static final String ORIG_ACCT = "0xa0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0";

    private Node a;
    private Node b;
    private TestPki rogue;
    private Server silent;
    private int silentPort;
    private String caseOk;
    private final List<Verification> sent = new ArrayList<>();
    private int receivedByB;

    /** One product acting as a VASP, with its keys, certificates and clients. */
    static final class Node {
        final String vaspId;
        final LocalProduct product;
        final TestPki pki;
        final TestPki.Issued cert;
        final String admin;
        final String client;
        final String otherTenantClient;
        final ManagedChannel channel;
        final HttpClient http;

        Node(Path home, String vaspId, String vaspName) {
            this.vaspId = vaspId;
            this.pki = new TestPki(home.resolve("pki"), vaspId);
            this.cert = pki.issue(vaspId);
            Map<String, String> env = TestProduct.testEnv();
            env.put("OPENKYC_VASP_ID", vaspId);
            env.put("OPENKYC_VASP_IVMS101", "{\"legalPerson\":{\"name\":{\"nameIdentifier\":[{\"legalPersonName\":\""
                    + vaspName + "\",\"legalPersonNameIdentifierType\":\"LEGL\"}]},\"geographicAddress\":[{"
                    + "\"addressType\":\"GEOG\",\"postcode\":\"12345\",\"townName\":\"Seoul\",\"addressLine\":"
                    + "[\"Gangnam-gu\"],\"country\":\"KR\"}],\"nationalIdentification\":{\"nationalIdentifier\":"
                    + "\"" + vaspId + "\",\"nationalIdentifierType\":\"RAID\",\"registrationAuthority\":\"RA000001\"}}}");
            env.put("OPENKYC_TRAVEL_RULE_TENANT", TENANT);
            env.put("OPENKYC_VASP_HOST", "127.0.0.1");
            env.put("OPENKYC_VASP_PORT", "0");
            env.put("OPENKYC_VASP_TLS_CERT", cert.cert().toString());
            env.put("OPENKYC_VASP_TLS_KEY", cert.key().toString());
            // Long enough for a first exchange on a loaded machine (TLS handshake, cold JIT); the silent peer waits it out.
            env.put("OPENKYC_VASP_TIMEOUT_MS", "5000");
            // Webhooks: endpoints on a host that never answers; the deliveries log shows what was queued.
            env.put("OPENKYC_WEBHOOK_URL_HOSTS", "hooks.invalid");
            this.product = LocalProduct.start(home.resolve("data"), env);
            var t = product.server().tenants();
            t.ensureTenant("globex");
            this.admin = t.issueKey(TENANT, Role.ADMIN, "test").secret();
            this.client = t.issueKey(TENANT, Role.CLIENT, "test").secret();
            this.otherTenantClient = t.issueKey("globex", Role.CLIENT, "test").secret();
            this.channel = ManagedChannelBuilder.forAddress("127.0.0.1", product.server().port()).usePlaintext()
                    .build();
            this.http = TestProduct.httpsClient(product.gateway().certificateFile());
        }

        int vaspPort() {
            return product.server().vaspPort().orElseThrow();
        }

        <S extends AbstractStub<S>> S with(S stub, String key) {
            Metadata md = new Metadata();
            md.put(Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER), key);
            return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md));
        }

        VaspAdminServiceGrpc.VaspAdminServiceBlockingStub vaspAdmin() {
            return with(VaspAdminServiceGrpc.newBlockingStub(channel), admin);
        }

        VerificationServiceGrpc.VerificationServiceBlockingStub verifications(String key) {
            return with(VerificationServiceGrpc.newBlockingStub(channel), key);
        }

        HttpResponse<String> get(String pathAndQuery, String key) {
            HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(product.baseUrl() + pathAndQuery))
                    .timeout(Duration.ofSeconds(30)).GET();
            if (key != null) {
                r.header("x-api-key", key);
            }
            try {
                return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        void close() {
            channel.shutdownNow();
            product.close();
        }
    }

    @BeforeAll
    void startTwoVasps() throws Exception {
        Path base = TestProduct.freshHome("travel");
        a = new Node(base.resolve("a"), "vasp-a", "A Exchange");
        // B screens originators with the real sanctions engine over the sample lists (OFAC SDN and others).
        b = new Node(base.resolve("b"), "vasp-b", "B Exchange");
        rogue = new TestPki(base.resolve("rogue"), "rogue");

        // A counterpart that takes the call and never answers: the originator's deadline must fire.
        TestPki silentPki = new TestPki(base.resolve("silent"), "vasp-silent");
        TestPki.Issued silentCert = silentPki.issue("vasp-silent");
        silent = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0),
                        TlsServerCredentials.create(silentCert.cert().toFile(), silentCert.key().toFile()))
                .addService(new VaspExchangeServiceGrpc.VaspExchangeServiceImplBase() {
                    @Override
                    public void requestVerification(RequestVerificationRequest request,
                            StreamObserver<RequestVerificationResponse> responseObserver) {
                        // Never completes.
                    }
                })
                .build().start();
        silentPort = ((InetSocketAddress) silent.getListenSockets().get(0)).getPort();

        register(a, "vasp-b", "B Exchange", b);
        // The same VASP B registered under a wrong id: B refuses requests that name another VASP.
        a.vaspAdmin().registerCounterpartVasp(RegisterCounterpartVaspRequest.newBuilder().setVasp(
                CounterpartVasp.newBuilder().setId("vasp-b-old").setName("B Exchange (old id)")
                        .setEndpoint("localhost:" + b.vaspPort()).setCaCertificatePem(b.pki.caPem())).build());
        a.vaspAdmin().registerCounterpartVasp(RegisterCounterpartVaspRequest.newBuilder().setVasp(
                CounterpartVasp.newBuilder().setId("vasp-silent").setName("Silent Exchange")
                        .setEndpoint("localhost:" + silentPort).setCaCertificatePem(silentPki.caPem())).build());
        register(b, "vasp-a", "A Exchange", a);

        for (String[] asset : new String[][] {{"ETH", "Ethereum"}, {"BTC", "Bitcoin"}}) {
            b.vaspAdmin().addSupportedAsset(AddSupportedAssetRequest.newBuilder()
                    .setAsset(SupportedAsset.newBuilder().setSymbol(asset[0]).setNetwork(asset[1])).build());
        }
        caseOk = customer(b, "clark", "Lawrence Clark", true);
        String casePending = customer(b, "pending", "Pat Pending", false);
        String caseNoName = customer(b, "noname", null, true);
        wallet(b, ADDR_OK, "Ethereum", "ETH", caseOk);
        wallet(b, ADDR_PENDING, "Ethereum", null, casePending);
        wallet(b, ADDR_NO_NAME, "Bitcoin", "BTC", caseNoName);
    }

    @AfterAll
    void stop() {
        if (silent != null) {
            silent.shutdownNow();
        }
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
    }

    static void register(Node at, String id, String name, Node other) {
        CounterpartVasp v = at.vaspAdmin().registerCounterpartVasp(RegisterCounterpartVaspRequest.newBuilder()
                .setVasp(CounterpartVasp.newBuilder().setId(id).setName(name)
                        .setEndpoint("localhost:" + other.vaspPort()).setCaCertificatePem(other.pki.caPem()))
                .build()).getVasp();
        assertThat(v.getRegisteredAt()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    }

    /** A KYC case of VASP B: created through the KYC web API, named, and approved by an admin (or not). */
    static String customer(Node n, String userId, String fullName, boolean approve) throws Exception {
        String id = n.with(KycServiceGrpc.newBlockingStub(n.channel), n.client)
                .submit(SubmitRequest.newBuilder().setUserId(userId).setCountry("KOR").build())
                .getProfileId();
        if (fullName != null) {
            // The customer confirms the name on their passport through the KYC web API (the case keeps it sealed
            // with its own key, so it can only be set through the product).
            KycServiceGrpc.KycServiceBlockingStub kyc = n.with(KycServiceGrpc.newBlockingStub(n.channel), n.client)
                    .withDeadlineAfter(120, java.util.concurrent.TimeUnit.SECONDS);
            long documentId = kyc.uploadDocument(UploadDocumentRequest.newBuilder().setProfileId(id)
                    .setDocType(DocType.Value.PASSPORT).setCountry("KOR")
                    .setFrontImage(ByteString.copyFrom(TestPassports.png(userId.hashCode(), "KOR"::equals))).build()).getDocumentId();
            kyc.confirmDocument(ConfirmDocumentRequest.newBuilder().setDocumentId(documentId)
                    .setFields(ConfirmedFields.newBuilder().setName(fullName).setUserModified(true)).build());
        }
        if (approve) {
            n.with(KycAdminServiceGrpc.newBlockingStub(n.channel), n.admin).updateStatus(
                    UpdateStatusRequest.newBuilder().setProfileId(id).setStatus(2).setRemark("documents checked")
                            .build());
        }
        return id;
    }

    static void wallet(Node n, String address, String network, String symbol, String caseId) {
        WalletAddress.Builder w = WalletAddress.newBuilder().setAddress(address).setNetwork(network)
                .setKycCaseId(caseId);
        if (symbol != null) {
            w.setSymbol(symbol);
        }
        n.vaspAdmin().addWalletAddress(AddWalletAddressRequest.newBuilder().setWalletAddress(w).build());
    }

    private static Person natural(String primary, String secondary, boolean complete) {
        NaturalPerson.Builder p = NaturalPerson.newBuilder().setName(NaturalPersonName.newBuilder()
                .addNameIdentifier(NaturalPersonNameId.newBuilder().setPrimaryIdentifier(primary)
                        .setSecondaryIdentifier(secondary).setNameIdentifierType("LEGL")));
        if (complete) {
            p.addGeographicAddress(Address.newBuilder().setAddressType("HOME").setStreetName("Greystone Street")
                    .setBuildingNumber("28").setPostCode("38017").setTownName("Collierville").setCountry("US"))
                    .setDateAndPlaceOfBirth(DateAndPlaceOfBirth.newBuilder().setDateOfBirth("1992-10-04")
                            .setPlaceOfBirth("West Islip, NY"))
                    .setCountryOfResidence("US");
        }
        return Person.newBuilder().setNaturalPerson(p).build();
    }

    static Originator originator(String primary, String secondary, boolean complete) {
        return Originator.newBuilder().addOriginatorPersons(natural(primary, secondary, complete))
                .addAccountNumber(ORIG_ACCT).build();
    }

    static Beneficiary beneficiary(String primary, String secondary) {
        return Beneficiary.newBuilder().addBeneficiaryPersons(natural(primary, secondary, false)).build();
    }

    private Verification send(String vaspId, String symbol, String network, String account, Originator o,
            Beneficiary bn, String price, String currency) {
        AssetInfo.Builder asset = AssetInfo.newBuilder().setSymbol(symbol).setAmount("0.5").setTradePrice(price)
                .setTradeCurrency(currency).setTradeIsoDatetime("2024-05-01T10:00:00.000Z");
        if (network != null) {
            asset.setNetwork(network);
        }
        Verification v = a.verifications(a.client).requestOutgoingVerification(
                RequestOutgoingVerificationRequest.newBuilder().setBeneficiaryVaspId(vaspId).setAssetInfo(asset)
                        .setOriginatorAccountNumber(ORIG_ACCT).setBeneficiaryAccountNumber(account)
                        .setOriginator(o).setBeneficiary(bn).build()).getVerification();
        sent.add(v);
        if (!vaspId.equals("vasp-silent")) {
            receivedByB++;
        }
        assertThat(v.getActionType()).isEqualTo(ActionType.Value.SEND);
        assertThat(v.getOriginatingVaspId()).isEqualTo("vasp-a");
        return v;
    }

    private Verification sendEth(String account, Originator o, Beneficiary bn) {
        return send("vasp-b", "ETH", "Ethereum", account, o, bn, "2439800", "KRW");
    }

    private static void assertOutcome(Verification v, VerificationResult.Value result, String reason) {
        assertThat(v.getResult()).as(v.getReason() + " " + v.getMessage()).isEqualTo(result);
        assertThat(v.getReason()).isEqualTo(reason);
    }

    @Test
    @Order(1)
    void verifiedWhenTheBeneficiaryIsAnApprovedCustomerWithThatName() {
        Verification v = sendEth(ADDR_OK, originator("Howard", "Jane", true), beneficiary("CLARK", "Lawrence"));
        assertOutcome(v, VerificationResult.Value.VERIFIED, "OK");
        assertThat(v.getAssetInfo().getIsExceedingThreshold()).isTrue();
        assertThat(v.getBeneficiaryVaspId()).isEqualTo("vasp-b");
        assertThat(v.getIvms101BeneficiaryVasp()).contains("B Exchange");
        JsonObject ben = JsonParser.parseString(v.getIvms101Beneficiary()).getAsJsonObject();
        assertThat(ben.toString()).contains("Lawrence Clark").contains(caseOk).contains("\"KR\"");
        assertThat(v.getVerifiedAt()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    }

    @Test
    @Order(2)
    void deniedForEachReasonTheBeneficiaryFinds() {
        assertOutcome(send("vasp-b", "DOGE", "Dogecoin", ADDR_OK, originator("Howard", "Jane", true),
                beneficiary("Clark", "Lawrence"), "900", "USD"), VerificationResult.Value.DENIED, "UNKNOWN-SYMBOL");
        Verification network = send("vasp-b", "ETH", "Arbitrum", ADDR_OK, originator("Howard", "Jane", true),
                beneficiary("Clark", "Lawrence"), "900", "USD");
        assertOutcome(network, VerificationResult.Value.DENIED, "UNKNOWN-NETWORK");
        assertThat(network.getMessage()).isEqualTo("Arbitrum");
        assertThat(network.getAssetInfo().getIsExceedingThreshold()).isFalse();
        Verification unknown = sendEth("0xdeaddeaddeaddeaddeaddeaddeaddeaddeaddead",
                originator("Howard", "Jane", true), beneficiary("Clark", "Lawrence"));
        assertOutcome(unknown, VerificationResult.Value.DENIED, "UNKNOWN-ADDRESS");
        Verification lack = sendEth(ADDR_OK, originator("Howard", "Jane", false), beneficiary("Clark", "Lawrence"));
        assertOutcome(lack, VerificationResult.Value.DENIED, "LACK-OF-INFORMATION");
        assertThat(lack.getMessage()).contains("originator.originatorPersons[0].naturalPerson.geographicAddress");
        Verification unavailable = send("vasp-b", "BTC", "Bitcoin", ADDR_NO_NAME, originator("Howard", "Jane", true),
                beneficiary("Noname", "Nobody"), "1000", "USD");
        assertOutcome(unavailable, VerificationResult.Value.DENIED, "UNAVAILABLE-INFORMATION");
        assertThat(unavailable.getMessage()).contains("name");
        // A person on the OFAC SDN sample list, with the listed date of birth.
        Originator listed = Originator.newBuilder().addOriginatorPersons(Person.newBuilder().setNaturalPerson(
                natural("AL ZAWAHIRI", "Ayman", true).getNaturalPerson().toBuilder().setDateAndPlaceOfBirth(
                        DateAndPlaceOfBirth.newBuilder().setDateOfBirth("1951-06-19").setPlaceOfBirth("Giza"))))
                .addAccountNumber(ORIG_ACCT).build();
        assertOutcome(sendEth(ADDR_OK, listed, beneficiary("Clark", "Lawrence")),
                VerificationResult.Value.DENIED, "BLACKLISTED");
        assertOutcome(sendEth(ADDR_PENDING, originator("Howard", "Jane", true), beneficiary("Pending", "Pat")),
                VerificationResult.Value.DENIED, "UNVERIFIED-KYC");
        Verification mismatch = sendEth(ADDR_OK, originator("Howard", "Jane", true), beneficiary("Else", "Someone"));
        assertOutcome(mismatch, VerificationResult.Value.DENIED, "MISMATCHED-NAME");
        assertThat(mismatch.getIvms101Beneficiary()).doesNotContain("Lawrence");
        Verification notAllowed = send("vasp-b-old", "ETH", "Ethereum", ADDR_OK, originator("Howard", "Jane", true),
                beneficiary("Clark", "Lawrence"), "10", "USD");
        assertOutcome(notAllowed, VerificationResult.Value.DENIED, "NOT-ALLOWED");
    }

    @Test
    @Order(3)
    void errorsTheOriginatorRecords() {
        // B knows the address in its canonical lower-case form and answers with it.
        Verification changed = sendEth(ADDR_OK.toUpperCase().replace("0X", "0x"), originator("Howard", "Jane", true),
                beneficiary("Clark", "Lawrence"));
        assertOutcome(changed, VerificationResult.Value.ERROR, "BENEFICIARY-ACCOUNT-NOT-MATCHED");
        Verification timeout = send("vasp-silent", "ETH", "Ethereum", ADDR_OK, originator("Howard", "Jane", true),
                beneficiary("Clark", "Lawrence"), "10", "USD");
        assertOutcome(timeout, VerificationResult.Value.ERROR, "REQUEST-TIMEOUT");
        assertThat(timeout.hasVerifiedAt()).isFalse();
    }

    @Test
    @Order(4)
    void undefinedErrorAndCallerChecksThroughADirectMutualTlsCall() throws Exception {
        ManagedChannel ch = Grpc.newChannelBuilder("localhost:" + b.vaspPort(), TlsChannelCredentials.newBuilder()
                .keyManager(a.cert.cert().toFile(), a.cert.key().toFile())
                .trustManager(b.pki.caFile().toFile()).build()).build();
        try {
            var exchange = VaspExchangeServiceGrpc.newBlockingStub(ch).withDeadlineAfter(30, TimeUnit.SECONDS);
            RequestVerificationRequest.Builder req = RequestVerificationRequest.newBuilder()
                    .setVerificationUuid("direct-0001").setOriginatingVaspId("vasp-a")
                    .setAssetInfo(AssetInfo.newBuilder().setSymbol("ETH").setNetwork("Ethereum").setAmount("1")
                            .setTradePrice("5").setTradeCurrency("USD").setTradeIsoDatetime("2024-05-01T10:00:00Z"))
                    .setOriginatorAccountNumber(ORIG_ACCT).setBeneficiaryAccountNumber(ADDR_OK)
                    .setOriginator(Originator.newBuilder().addOriginatorPersons(Person.newBuilder().setNaturalPerson(
                            NaturalPerson.newBuilder().setName(NaturalPersonName.newBuilder().addNameIdentifier(
                                    NaturalPersonNameId.newBuilder().setPrimaryIdentifier("Howard")
                                            .setNameIdentifierType("NICK"))).setCountryOfResidence("USA"))))
                    .setBeneficiary(beneficiary("Clark", "Lawrence"))
                    .setOriginatingVasp(OriginatingVasp.newBuilder().setOriginatingVasp(natural("A", "B", false)));
            RequestVerificationResponse r = exchange.requestVerification(req.build());
            receivedByB++;
            assertThat(r.getResult()).isEqualTo(VerificationResult.Value.DENIED);
            assertThat(r.getReason()).isEqualTo("UNDEFINED-ERROR");
            assertThat(r.getMessage()).contains("nameIdentifierType").contains("countryOfResidence");
            assertThat(r.hasBeneficiary()).isFalse();

            // The same uuid twice is refused; a caller naming another VASP than its certificate's is refused.
            assertThatThrownBy(() -> exchange.requestVerification(req.build()))
                    .satisfies(e -> assertThat(Status.fromThrowable(e).getCode())
                            .isEqualTo(Status.Code.FAILED_PRECONDITION));
            assertThatThrownBy(() -> exchange.requestVerification(req.setVerificationUuid("direct-0002")
                    .setOriginatingVaspId("vasp-b-old").build()))
                    .satisfies(e -> assertThat(Status.fromThrowable(e).getCode())
                            .isEqualTo(Status.Code.PERMISSION_DENIED));
        } finally {
            ch.shutdownNow();
        }
    }

    @Test
    @Order(5)
    void aCallerWithoutTheCertificateOfARegisteredVaspGetsNothing() throws IOException {
        TestPki.Issued stranger = rogue.issue("stranger");
        for (TlsChannelCredentials.Builder creds : List.of(
                TlsChannelCredentials.newBuilder(),
                TlsChannelCredentials.newBuilder().keyManager(uncheck(stranger.cert()), uncheck(stranger.key())))) {
            ManagedChannel ch;
            try {
                ch = Grpc.newChannelBuilder("localhost:" + b.vaspPort(),
                        creds.trustManager(b.pki.caFile().toFile()).build()).build();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            try {
                assertThatThrownBy(() -> VaspExchangeServiceGrpc.newBlockingStub(ch)
                        .withDeadlineAfter(30, TimeUnit.SECONDS)
                        .requestVerification(RequestVerificationRequest.getDefaultInstance()))
                        .isInstanceOf(StatusRuntimeException.class)
                        .satisfies(e -> assertThat(Status.fromThrowable(e).getCode())
                                .isEqualTo(Status.Code.UNAVAILABLE));
            } finally {
                ch.shutdownNow();
            }
        }
        // The exchange is not served on the API-key port at all.
        assertThatThrownBy(() -> b.with(VaspExchangeServiceGrpc.newBlockingStub(b.channel), b.admin)
                .requestVerification(RequestVerificationRequest.getDefaultInstance()))
                .satisfies(e -> assertThat(Status.fromThrowable(e).getCode()).isEqualTo(Status.Code.UNIMPLEMENTED));
        // The admin service needs an admin key.
        assertThatThrownBy(() -> b.with(VaspAdminServiceGrpc.newBlockingStub(b.channel), b.client)
                .listCounterpartVasps(ListCounterpartVaspsRequest.getDefaultInstance()))
                .satisfies(e -> assertThat(Status.fromThrowable(e).getCode())
                        .isEqualTo(Status.Code.PERMISSION_DENIED));
    }

    private static java.io.File uncheck(Path p) {
        return p.toFile();
    }

    @Test
    @Order(6)
    void theOriginatorReportsTheTransaction() {
        Verification verified = sent.get(0);
        Verification reported = a.verifications(a.client).reportOutgoingTransaction(
                ReportOutgoingTransactionRequest.newBuilder().setVerificationUuid(verified.getVerificationUuid())
                        .setTxHash("0x9fd7bfd46e4402c7197b4d8deb0199fcf7c1f57ef70c339f403a1cb060c31c28")
                        .setVout("2").build()).getVerification();
        assertThat(reported.getTxHash()).startsWith("0x9fd7");
        assertThat(reported.hasOrderedAt()).isTrue();
        // Only a VERIFIED verification can be reported.
        assertThatThrownBy(() -> a.verifications(a.client).reportOutgoingTransaction(
                ReportOutgoingTransactionRequest.newBuilder().setVerificationUuid(sent.get(1).getVerificationUuid())
                        .setTxHash("0xabc").build()))
                .satisfies(e -> assertThat(Status.fromThrowable(e).getCode())
                        .isEqualTo(Status.Code.FAILED_PRECONDITION));
    }

    @Test
    @Order(7)
    void bothSidesListTheirVerificationsOverHttps() {
        // A: every SEND, paged.
        JsonObject page1 = json(a.get("/v1/verifications?actionType=SEND&rpp=5", a.client));
        assertThat(page1.get("count").getAsInt()).isEqualTo(sent.size());
        assertThat(page1.get("page").getAsInt()).isEqualTo(1);
        assertThat(page1.get("rpp").getAsInt()).isEqualTo(5);
        assertThat(page1.getAsJsonArray("verifications")).hasSize(5);
        JsonObject last = json(a.get("/v1/verifications?actionType=SEND&rpp=5&page=3", a.client));
        assertThat(last.getAsJsonArray("verifications")).hasSize(sent.size() - 10);
        // Newest first: the first one sent comes last.
        JsonArray lastItems = last.getAsJsonArray("verifications");
        assertThat(lastItems.get(lastItems.size() - 1).getAsJsonObject().get("verificationUuid").getAsString())
                .isEqualTo(sent.get(0).getVerificationUuid());

        // Defaults: page 1, rpp 10.
        JsonObject defaults = json(a.get("/v1/verifications", a.client));
        assertThat(defaults.get("rpp").getAsInt()).isEqualTo(10);
        assertThat(defaults.getAsJsonArray("verifications")).hasSize(10);

        // Filters combine with AND.
        JsonObject denied = json(a.get("/v1/verifications?result=DENIED&symbol=ETH&network=Ethereum&rpp=100",
                a.client));
        long expected = sent.stream().filter(v -> v.getResult() == VerificationResult.Value.DENIED
                && v.getAssetInfo().getSymbol().equals("ETH") && v.getAssetInfo().getNetwork().equals("Ethereum"))
                .count();
        assertThat(denied.get("count").getAsLong()).isEqualTo(expected).isGreaterThan(3);
        for (JsonElement e : denied.getAsJsonArray("verifications")) {
            assertThat(e.getAsJsonObject().get("result").getAsString()).isEqualTo("DENIED");
        }
        JsonObject byTx = json(a.get("/v1/verifications?txHash="
                + "0x9fd7bfd46e4402c7197b4d8deb0199fcf7c1f57ef70c339f403a1cb060c31c28", a.client));
        assertThat(byTx.get("count").getAsInt()).isEqualTo(1);
        JsonObject v = byTx.getAsJsonArray("verifications").get(0).getAsJsonObject();
        assertThat(v.get("vout").getAsString()).isEqualTo("2");
        assertThat(v.get("reason").getAsString()).isEqualTo("OK");
        assertThat(v.get("createdAt").getAsString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(v.get("orderedAt").getAsString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        JsonObject asset = v.getAsJsonObject("assetInfo");
        assertThat(asset.get("tradeISODatetime").getAsString()).isEqualTo("2024-05-01T10:00:00.000Z");
        assertThat(asset.get("amount").getAsString()).isEqualTo("0.5");
        assertThat(asset.get("isExceedingThreshold").getAsBoolean()).isTrue();
        // The IVMS101 payloads are JSON strings in the IVMS101 JSON form.
        JsonObject orig = JsonParser.parseString(v.get("ivms101Originator").getAsString()).getAsJsonObject();
        assertThat(orig.getAsJsonArray("originatorPersons")).hasSize(1);
        assertThat(orig.toString()).contains("\"postcode\":\"38017\"");
        assertThat(JsonParser.parseString(v.get("ivms101OriginatingVasp").getAsString()).getAsJsonObject()
                .has("legalPerson")).isTrue();
        JsonObject timeouts = json(a.get("/v1/verifications?result=ERROR&oppositeVaspId=vasp-silent", a.client));
        assertThat(timeouts.get("count").getAsInt()).isEqualTo(1);
        assertThat(timeouts.getAsJsonArray("verifications").get(0).getAsJsonObject().get("reason").getAsString())
                .isEqualTo("REQUEST-TIMEOUT");
        assertThat(json(a.get("/v1/verifications?fromDate=2000-01-01&toDate=2000-12-31", a.client))
                .get("count").getAsInt()).isZero();
        assertThat(json(a.get("/v1/verifications?originatorAccountNumber=" + ORIG_ACCT
                + "&beneficiaryAccountNumber=" + ADDR_PENDING, a.client)).get("count").getAsInt()).isEqualTo(1);

        // B: every RECEIVE, from A, with the reported transaction.
        JsonObject received = json(b.get("/v1/verifications?actionType=RECEIVE&oppositeVaspId=vasp-a&rpp=100",
                b.client));
        assertThat(received.get("count").getAsInt()).isEqualTo(receivedByB);
        JsonObject bTx = json(b.get("/v1/verifications?txHash="
                + "0x9fd7bfd46e4402c7197b4d8deb0199fcf7c1f57ef70c339f403a1cb060c31c28&actionType=RECEIVE", b.client));
        assertThat(bTx.get("count").getAsInt()).isEqualTo(1);
        JsonObject bv = bTx.getAsJsonArray("verifications").get(0).getAsJsonObject();
        assertThat(bv.get("result").getAsString()).isEqualTo("VERIFIED");
        assertThat(bv.get("verificationUuid").getAsString()).isEqualTo(sent.get(0).getVerificationUuid());
        assertThat(bv.get("originatingVaspId").getAsString()).isEqualTo("vasp-a");
        assertThat(bv.get("beneficiaryVaspId").getAsString()).isEqualTo("vasp-b");
        assertThat(bv.get("actionType").getAsString()).isEqualTo("RECEIVE");
        assertThat(json(b.get("/v1/verifications?result=DENIED&rpp=1&page=2", b.client))
                .getAsJsonArray("verifications")).hasSize(1);

        // Tenants are isolated; bad input is a 4xx.
        assertThat(json(b.get("/v1/verifications", b.otherTenantClient)).get("count").getAsInt()).isZero();
        assertThat(b.get("/v1/verifications", null).statusCode()).isEqualTo(401);
        assertThat(b.get("/v1/verifications?fromDate=yesterday", b.client).statusCode()).isEqualTo(400);
        assertThat(b.get("/v1/verifications?page=0", b.client).statusCode()).isEqualTo(400);
    }

    @Test
    @Order(8)
    void bothSidesListTheirVerificationsThroughGrpc() {
        ListVerificationsResponse sends = a.verifications(a.client).listVerifications(ListVerificationsRequest
                .newBuilder().setActionType(ActionType.Value.SEND).setResult(VerificationResult.Value.ERROR).build());
        assertThat(sends.getCount()).isEqualTo(2);
        ListVerificationsResponse receives = b.verifications(b.client).listVerifications(ListVerificationsRequest
                .newBuilder().setBeneficiaryAccountNumber(ADDR_PENDING).build());
        assertThat(receives.getCount()).isEqualTo(1);
        assertThat(receives.getVerifications(0).getReason()).isEqualTo("UNVERIFIED-KYC");
        assertThat(receives.getVerifications(0).getActionType()).isEqualTo(ActionType.Value.RECEIVE);
        assertThat(b.vaspAdmin().listWalletAddresses(ListWalletAddressesRequest.newBuilder()
                .setKycCaseId(caseOk).build()).getCount()).isEqualTo(1);
    }

    @Test
    @Order(9)
    void webhooksTellBothSidesOfARecordedAndAReportedVerification() {
        String type = "travelrule.verification.status_changed";
        var hooksA = a.with(WebhookAdminServiceGrpc.newBlockingStub(a.channel), a.admin);
        var hooksB = b.with(WebhookAdminServiceGrpc.newBlockingStub(b.channel), b.admin);
        String onA = hooksA.createWebhook(CreateWebhookRequest.newBuilder().setUrl("https://hooks.invalid/a")
                .addEventTypes(type).build()).getWebhook().getWebhookId();
        String onB = hooksB.createWebhook(CreateWebhookRequest.newBuilder().setUrl("https://hooks.invalid/b")
                .addEventTypes(type).build()).getWebhook().getWebhookId();

        Verification v = sendEth(ADDR_OK, originator("Howard", "Jane", true), beneficiary("CLARK", "Lawrence"));
        assertOutcome(v, VerificationResult.Value.VERIFIED, "OK");
        a.verifications(a.client).reportOutgoingTransaction(ReportOutgoingTransactionRequest.newBuilder()
                .setVerificationUuid(v.getVerificationUuid())
                .setTxHash("0x1fd7bfd46e4402c7197b4d8deb0199fcf7c1f57ef70c339f403a1cb060c31c28").build());

        // Recorded (VERIFIED) and ordered on each side: two events each, queued with the changes themselves.
        for (var hooks : List.of(java.util.Map.entry(hooksA, onA), java.util.Map.entry(hooksB, onB))) {
            ListWebhookDeliveriesResponse log = hooks.getKey().listWebhookDeliveries(
                    ListWebhookDeliveriesRequest.newBuilder().setWebhookId(hooks.getValue()).build());
            assertThat(log.getTotal()).isEqualTo(2);
            assertThat(log.getListList()).extracting(WebhookDelivery::getEventType).containsOnly(type);
            assertThat(log.getList(0).getEventId()).isNotEqualTo(log.getList(1).getEventId());
        }
    }

    private static JsonObject json(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JsonParser.parseString(r.body()).getAsJsonObject();
    }
}
