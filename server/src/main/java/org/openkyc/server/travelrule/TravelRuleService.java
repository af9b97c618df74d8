package org.openkyc.server.travelrule;

import com.google.gson.JsonObject;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.ibatis.exceptions.PersistenceException;
import org.openkyc.server.auth.Caller;
import org.openkyc.server.error.DomainException;
import org.openkyc.server.error.ErrorCode;
import org.openkyc.server.storage.AesGcm;
import org.openkyc.server.storage.Database;
import org.apache.ibatis.session.SqlSession;
import org.openkyc.server.storage.TravelRuleMapper;
import org.openkyc.server.webhook.WebhookEvents;
import org.openkyc.server.storage.TravelRuleMapper.VerificationRow;
import org.openkyc.server.travelrule.Ivms101Validator.Kind;
import org.openkyc.server.travelrule.Ivms101Validator.Violation;
import org.openkyc.server.travelrule.Verification.ActionType;
import org.openkyc.server.travelrule.Verification.AssetInfo;
import org.openkyc.server.travelrule.Verification.Result;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The travel-rule exchange and its records. As originating VASP it asks a
 * counterpart to verify a transfer and records the answer (SEND); as
 * beneficiary VASP it decides from its own data (supported assets, customer
 * wallets, KYC cases, screening, name matching) and records the request
 * (RECEIVE). B1 lists both.
 *
 * <p>Tenancy: the exchange acts for one configured tenant
 * ({@link Settings#tenantId()}); its counterpart VASPs, wallets, assets and
 * verifications are that tenant's rows, and only that tenant's keys may start
 * outgoing verifications. Every tenant can list its own verifications.
 */
public final class TravelRuleService {

    private static final Logger log = LoggerFactory.getLogger(TravelRuleService.class);
    private static final int MAX_MESSAGE = 1000;

    /** This VASP as configured: its id, its IVMS101 Person JSON and the tenant the exchange acts for. */
    public record Settings(String vaspId, String vaspPersonJson, long tenantId) {
    }

    private final Database db;
    private final AesGcm crypto;
    private final VaspRegistry registry;
    private final CustomerKyc kyc;
    private final Optional<PartyScreening> screening;
    private final CounterpartClient client;
    private final Ivms101Validator validator;
    private final Thresholds thresholds;
    private final Optional<Settings> settings;
    private final Clock clock;

    public TravelRuleService(Database db, AesGcm crypto, VaspRegistry registry, CustomerKyc kyc,
            Optional<PartyScreening> screening, CounterpartClient client, Thresholds thresholds,
            Optional<Settings> settings, Clock clock) {
        this.db = db;
        this.crypto = crypto;
        this.registry = registry;
        this.kyc = kyc;
        this.screening = screening;
        this.client = client;
        this.validator = new Ivms101Validator(clock);
        this.thresholds = thresholds;
        this.clock = clock;
        settings.ifPresent(s -> {
            List<Violation> v = validator.person(Ivms101.parseObject(s.vaspPersonJson(), "OPENKYC_VASP_IVMS101"),
                    "OPENKYC_VASP_IVMS101");
            if (!v.isEmpty()) {
                throw new IllegalArgumentException("OPENKYC_VASP_IVMS101 is not a valid IVMS101 person: " + v);
            }
        });
        this.settings = settings;
        if (settings.isPresent() && screening.isEmpty()) {
            log.warn("travel rule: no party screening configured; the BLACKLISTED check is skipped");
        }
    }

    public VaspRegistry registry() {
        return registry;
    }

    public Optional<Settings> settings() {
        return settings;
    }

    /** The tenant the exchange acts for, when the caller belongs to it. */
    public long requireTravelRuleTenant(Caller caller) {
        Settings s = settings.orElseThrow(() -> new DomainException(ErrorCode.CONFLICT,
                "The travel-rule exchange is not configured on this server (OPENKYC_VASP_ID)"));
        if (caller.tenantId() != s.tenantId()) {
            throw new DomainException(ErrorCode.PERMISSION_DENIED,
                    "The travel-rule exchange acts for another tenant");
        }
        return s.tenantId();
    }

    // ---------------------------------------------------------------- originating side

    /** Asks the beneficiary VASP to verify a transfer and records the outcome as SEND. */
    public Verification requestOutgoing(Caller caller, Optional<String> uuid, String beneficiaryVaspId,
            AssetInfo asset, String originatorAccount, String beneficiaryAccount, String originatorJson,
            String beneficiaryJson) {
        long tenant = requireTravelRuleTenant(caller);
        Settings me = settings.orElseThrow();
        String id = uuid.filter(u -> !u.isBlank()).map(u -> checkUuid(u.strip()))
                .orElseGet(() -> UUID.randomUUID().toString());
        AssetInfo a = checkAsset(asset);
        String origAcct = VaspRegistry.text(originatorAccount, "originatorAccountNumber", 128);
        String benAcct = VaspRegistry.text(beneficiaryAccount, "beneficiaryAccountNumber", 128);
        JsonObject originator = Ivms101.parseObject(originatorJson, "originator");
        JsonObject beneficiary = Ivms101.parseObject(beneficiaryJson, "beneficiary");
        // Invalid values are this VASP's own mistake; missing parts are for the counterpart to judge.
        List<Violation> invalid = new java.util.ArrayList<>(validator.originator(originator, "originator"));
        invalid.addAll(validator.beneficiary(beneficiary, "beneficiary"));
        invalid.removeIf(v -> v.kind() == Kind.MISSING);
        if (!invalid.isEmpty()) {
            throw DomainException.invalid("IVMS101: " + limit(invalid.stream().map(Violation::toString)
                    .collect(Collectors.joining("; "))));
        }
        VaspRegistry.CounterpartVasp to = registry.vasp(tenant, beneficiaryVaspId).orElseThrow(() ->
                new DomainException(ErrorCode.NOT_FOUND, "beneficiaryVaspId is not a registered counterpart VASP"));
        if (find(tenant, id, ActionType.SEND).isPresent()) {
            throw new DomainException(ErrorCode.CONFLICT, "A verification with this uuid was already sent");
        }
        AssetInfo priced = withThreshold(a);
        VerificationRequest req = new VerificationRequest(id, me.vaspId(), Optional.of(to.id()), priced, origAcct,
                benAcct, originator.toString(), beneficiary.toString(), me.vaspPersonJson());
        Instant created = clock.instant();
        VerificationRow row = baseRow(tenant, req, ActionType.SEND, to.id(), created);
        try {
            VerificationAnswer ans = client.requestVerification(to, req);
            Instant receivedAt = clock.instant();
            row.verifiedAt = VaspRegistry.utc(receivedAt);
            row.ivms101BeneficiaryVasp = ans.beneficiaryVaspJson().orElse(null);
            if (!ans.beneficiaryAccountNumber().isBlank() && !ans.beneficiaryAccountNumber().equals(benAcct)) {
                row.result = Result.ERROR.name();
                row.reason = Reason.BENEFICIARY_ACCOUNT_NOT_MATCHED;
                log.info("travel rule: answer for {} named another beneficiary account", id);
            } else {
                row.result = ans.result().name();
                row.reason = ans.reason();
                row.message = ans.message().map(TravelRuleService::limit).orElse(null);
                ans.beneficiaryJson().ifPresent(b -> row.ivms101BeneficiaryEnc = seal(b, row, "beneficiary"));
            }
        } catch (CounterpartClient.CounterpartException e) {
            switch (e.kind()) {
                case TIMEOUT -> {
                    row.result = Result.ERROR.name();
                    row.reason = Reason.REQUEST_TIMEOUT;
                }
                case REFUSED -> {
                    row.result = Result.ERROR.name();
                    row.reason = Reason.UNDEFINED_ERROR;
                    row.message = limit(e.getMessage());
                }
                default -> throw new DomainException(ErrorCode.UNAVAILABLE,
                        "The beneficiary VASP cannot be reached; nothing was recorded, the call may be retried");
            }
        }
        insert(row);
        log.info("travel rule: SEND {} to {} result={} reason={}", id, to.id(), row.result, row.reason);
        return toVerification(row);
    }

    /** Records the transaction of a VERIFIED outgoing verification and reports it to the beneficiary VASP. */
    public Verification reportOutgoing(Caller caller, String uuid, String txHash, Optional<String> vout) {
        long tenant = requireTravelRuleTenant(caller);
        String tx = checkTxHash(txHash);
        Optional<String> out = checkVout(vout);
        VerificationRow row = find(tenant, uuid, ActionType.SEND).orElseThrow(() ->
                new DomainException(ErrorCode.NOT_FOUND, "No outgoing verification has this uuid"));
        if (!Result.VERIFIED.name().equals(row.result)) {
            throw new DomainException(ErrorCode.CONFLICT, "Only a VERIFIED verification can be reported");
        }
        VaspRegistry.CounterpartVasp to = registry.vasp(tenant, row.beneficiaryVaspId).orElseThrow(() ->
                new DomainException(ErrorCode.NOT_FOUND, "The beneficiary VASP is no longer registered"));
        try {
            client.reportTransaction(to, row.uuid, tx, out);
        } catch (CounterpartClient.CounterpartException e) {
            throw new DomainException(ErrorCode.UNAVAILABLE,
                    "The beneficiary VASP did not take the report; the call may be retried");
        }
        LocalDateTime at = VaspRegistry.utc(clock.instant());
        db.inTransaction(s -> reportTransaction(s, row, tx, out, at));
        row.txHash = tx;
        row.vout = out.orElse(null);
        row.orderedAt = at;
        return toVerification(row);
    }

    // ---------------------------------------------------------------- beneficiary side

    /**
     * Answers a verification request from the authenticated counterpart
     * {@code callerVaspId} and records it as RECEIVE.
     */
    public VerificationAnswer receive(String callerVaspId, VerificationRequest req) {
        Settings me = settings.orElseThrow(() -> new DomainException(ErrorCode.UNAVAILABLE,
                "The travel-rule exchange is not configured"));
        long tenant = me.tenantId();
        if (!callerVaspId.equals(req.originatingVaspId())) {
            throw new DomainException(ErrorCode.PERMISSION_DENIED,
                    "originatingVaspId is not the VASP of the client certificate");
        }
        String id = checkUuid(req.uuid());
        AssetInfo asset = withThreshold(checkAsset(req.asset()));
        String origAcct = VaspRegistry.text(req.originatorAccountNumber(), "originatorAccountNumber", 128);
        String benAcct = VaspRegistry.text(req.beneficiaryAccountNumber(), "beneficiaryAccountNumber", 128);
        JsonObject originator = Ivms101.parseObject(req.originatorJson(), "originator");
        JsonObject beneficiary = Ivms101.parseObject(req.beneficiaryJson(), "beneficiary");
        JsonObject originatingVasp = Ivms101.parseObject(req.originatingVaspJson(), "originatingVasp");
        if (find(tenant, id, ActionType.RECEIVE).isPresent()) {
            throw new DomainException(ErrorCode.CONFLICT, "A verification with this uuid was already received");
        }
        VerificationRequest clean = new VerificationRequest(id, callerVaspId, req.beneficiaryVaspId(), asset, origAcct,
                benAcct, originator.toString(), beneficiary.toString(), originatingVasp.toString());
        Instant now = clock.instant();
        Decision d = decide(tenant, me, clean, originator, beneficiary, originatingVasp);
        VerificationRow row = baseRow(tenant, clean, ActionType.RECEIVE, callerVaspId, now);
        row.beneficiaryVaspId = me.vaspId();
        row.result = d.result.name();
        row.reason = d.reason;
        row.message = d.message == null ? null : limit(d.message);
        row.ivms101BeneficiaryVasp = me.vaspPersonJson();
        row.verifiedAt = VaspRegistry.utc(now);
        if (d.beneficiaryJson != null) {
            row.ivms101BeneficiaryEnc = seal(d.beneficiaryJson, row, "beneficiary");
        }
        insert(row);
        log.info("travel rule: RECEIVE {} from {} result={} reason={}", id, callerVaspId, row.result, row.reason);
        return new VerificationAnswer(d.result, d.reason, Optional.ofNullable(row.message), d.account,
                Optional.ofNullable(d.beneficiaryJson), Optional.of(me.vaspPersonJson()), me.vaspId(),
                row.verifiedAt.toInstant(ZoneOffset.UTC));
    }

    private record Decision(Result result, String reason, String message, String account, String beneficiaryJson) {
        static Decision denied(String reason, String message, String account) {
            return new Decision(Result.DENIED, reason, message, account, null);
        }
    }

    private Decision decide(long tenant, Settings me, VerificationRequest req, JsonObject originator,
            JsonObject beneficiary, JsonObject originatingVasp) {
        String account = req.beneficiaryAccountNumber();
        if (req.beneficiaryVaspId().isPresent() && !req.beneficiaryVaspId().get().equals(me.vaspId())) {
            return Decision.denied(Reason.NOT_ALLOWED, "the request names another beneficiary VASP", account);
        }
        String symbol = req.asset().symbol();
        List<VaspRegistry.SupportedAsset> assets = registry.assets(tenant);
        if (assets.stream().noneMatch(x -> x.symbol().equals(symbol))) {
            return Decision.denied(Reason.UNKNOWN_SYMBOL, symbol, account);
        }
        Optional<String> network = req.asset().network();
        if (network.isPresent() && assets.stream()
                .noneMatch(x -> x.symbol().equals(symbol) && x.network().equals(network.get()))) {
            return Decision.denied(Reason.UNKNOWN_NETWORK, network.get(), account);
        }
        Optional<VaspRegistry.WalletAddress> wallet = registry.findWallet(tenant, account, network, symbol);
        if (wallet.isEmpty()) {
            return Decision.denied(Reason.UNKNOWN_ADDRESS, account, account);
        }
        String ours = wallet.get().address();
        List<Violation> violations = new java.util.ArrayList<>(validator.originator(originator, "originator"));
        violations.addAll(validator.beneficiary(beneficiary, "beneficiary"));
        violations.addAll(validator.person(originatingVasp, "originatingVasp"));
        List<Violation> invalid = violations.stream().filter(v -> v.kind() == Kind.INVALID).toList();
        if (!invalid.isEmpty()) {
            return Decision.denied(Reason.UNDEFINED_ERROR, "invalid IVMS101: " + invalid.stream()
                    .map(Violation::toString).collect(Collectors.joining("; ")), ours);
        }
        List<String> missing = violations.stream().map(Violation::path).distinct().toList();
        if (!missing.isEmpty()) {
            return Decision.denied(Reason.LACK_OF_INFORMATION, String.join(",", missing), ours);
        }
        if (screening.isPresent()) {
            for (JsonObject p : Ivms101.persons(originator, "originatorPersons")) {
                Optional<PartyScreening.Hit> hit = screening.get().screen(Ivms101.party(p));
                if (hit.isPresent()) {
                    log.info("travel rule: originator of {} is listed", req.uuid());
                    return Decision.denied(Reason.BLACKLISTED, null, ours);
                }
            }
        } else {
            log.debug("travel rule: screening not configured, BLACKLISTED check skipped for {}", req.uuid());
        }
        Optional<CustomerKyc.Customer> customer = kyc.find(tenant, wallet.get().kycCaseId());
        if (customer.isEmpty() || !customer.get().approved()) {
            return Decision.denied(Reason.UNVERIFIED_KYC, null, ours);
        }
        if (customer.get().fullName().isEmpty()) {
            return Decision.denied(Reason.UNAVAILABLE_INFORMATION,
                    "beneficiary.beneficiaryPersons.naturalPerson.name", ours);
        }
        List<String> requested = Ivms101.persons(beneficiary, "beneficiaryPersons").stream()
                .flatMap(p -> Ivms101.legalNames(p).stream()).toList();
        if (!Ivms101.nameMatches(requested, customer.get().fullName().get())) {
            return Decision.denied(Reason.MISMATCHED_NAME, null, ours);
        }
        return new Decision(Result.VERIFIED, Reason.OK, null, ours,
                Ivms101.beneficiaryFromKyc(customer.get(), ours).toString());
    }

    /** Records the transaction reported by the originating VASP on a RECEIVE verification. */
    public Instant receiveReport(String callerVaspId, String uuid, String txHash, Optional<String> vout) {
        Settings me = settings.orElseThrow(() -> new DomainException(ErrorCode.UNAVAILABLE,
                "The travel-rule exchange is not configured"));
        String tx = checkTxHash(txHash);
        Optional<String> out = checkVout(vout);
        VerificationRow row = find(me.tenantId(), uuid, ActionType.RECEIVE)
                .filter(r -> r.originatingVaspId.equals(callerVaspId))
                .orElseThrow(() -> new DomainException(ErrorCode.NOT_FOUND,
                        "No verification with this uuid was received from this VASP"));
        LocalDateTime at = VaspRegistry.utc(clock.instant());
        db.inTransaction(s -> reportTransaction(s, row, tx, out, at));
        return at.toInstant(ZoneOffset.UTC);
    }

    // ---------------------------------------------------------------- B1

    /** One page of the tenant's verifications, newest first. */
    public VerificationQuery.Page list(Caller caller, VerificationQuery q) {
        if (q.page() < 1) {
            throw DomainException.invalidField("page", "page must be 1 or more");
        }
        if (q.rpp() < 1) {
            throw DomainException.invalidField("rpp", "rpp must be 1 or more");
        }
        int rpp = Math.min(q.rpp(), VerificationQuery.MAX_RPP);
        TravelRuleMapper.VerificationFilter f = new TravelRuleMapper.VerificationFilter();
        f.tenantId = caller.tenantId();
        f.createdFrom = q.fromDate().orElse(LocalDate.EPOCH).atStartOfDay();
        f.createdBefore = q.toDate().map(d -> d.plusDays(1).atStartOfDay())
                .orElseGet(() -> VaspRegistry.utc(clock.instant()).plusNanos(1_000_000));
        if (!f.createdFrom.isBefore(f.createdBefore)) {
            throw DomainException.invalidField("fromDate", "fromDate must not be after toDate");
        }
        f.symbol = q.symbol().orElse(null);
        f.network = q.network().orElse(null);
        f.txHash = q.txHash().orElse(null);
        f.result = q.result().map(Enum::name).orElse(null);
        f.actionType = q.actionType().map(Enum::name).orElse(null);
        f.oppositeVaspId = q.oppositeVaspId().orElse(null);
        f.originatorAccountNumber = q.originatorAccountNumber().orElse(null);
        f.beneficiaryAccountNumber = q.beneficiaryAccountNumber().orElse(null);
        f.limit = rpp;
        f.offset = (int) Math.min(Integer.MAX_VALUE, (long) (q.page() - 1) * rpp);
        return db.read(s -> {
            TravelRuleMapper m = s.getMapper(TravelRuleMapper.class);
            long count = m.countVerifications(f);
            List<Verification> items = count == 0 ? List.of()
                    : m.pageVerifications(f).stream().map(this::toVerification).toList();
            return new VerificationQuery.Page(count, q.page(), rpp, items);
        });
    }

    // ---------------------------------------------------------------- helpers

    private AssetInfo withThreshold(AssetInfo a) {
        boolean exceeding = thresholds.exceeds(new BigDecimal(a.tradePrice()), a.tradeCurrency());
        return new AssetInfo(a.symbol(), a.network(), a.amount(), exceeding, a.tradePrice(), a.tradeCurrency(),
                a.tradeTime());
    }

    private static AssetInfo checkAsset(AssetInfo a) {
        if (a == null) {
            throw DomainException.invalidField("assetInfo", "assetInfo is required");
        }
        String symbol = VaspRegistry.text(a.symbol(), "assetInfo.symbol", 32);
        Optional<String> network = a.network().filter(n -> !n.isBlank())
                .map(n -> VaspRegistry.text(n, "assetInfo.network", 64));
        String amount = decimal(a.amount(), "assetInfo.amount", true);
        String price = decimal(a.tradePrice(), "assetInfo.tradePrice", false);
        String currency = VaspRegistry.text(a.tradeCurrency(), "assetInfo.tradeCurrency", 3)
                .toUpperCase(java.util.Locale.ROOT);
        if (!currency.matches("[A-Z]{3}")) {
            throw DomainException.invalidField("assetInfo.tradeCurrency", "assetInfo.tradeCurrency must be an ISO 4217 code such as USD");
        }
        if (a.tradeTime() == null) {
            throw DomainException.invalidField("assetInfo.tradeISODatetime", "assetInfo.tradeISODatetime is required");
        }
        return new AssetInfo(symbol, network, amount, a.exceedingThreshold(), price, currency, a.tradeTime());
    }

    /** Parses the ISO-8601 time of the exchange rate. */
    public static Instant tradeTime(String value) {
        if (value == null || value.isBlank()) {
            throw DomainException.invalidField("assetInfo.tradeISODatetime", "assetInfo.tradeISODatetime is required");
        }
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw DomainException.invalidField("assetInfo.tradeISODatetime", "assetInfo.tradeISODatetime must be ISO 8601 UTC, e.g."
                    + " 2022-02-06T23:13:43.513Z");
        }
    }

    private static String decimal(String value, String field, boolean positive) {
        String v = VaspRegistry.text(value, field, 64);
        if (!v.matches("\\d+(\\.\\d+)?")) {
            throw DomainException.invalidField(field, field + " must be a decimal string such as \"0.024\"");
        }
        if (positive && new BigDecimal(v).signum() <= 0) {
            throw DomainException.invalidField(field, field + " must be more than zero");
        }
        return v;
    }

    private static String checkUuid(String uuid) {
        if (uuid == null || !uuid.matches("[A-Za-z0-9-]{1,64}")) {
            throw DomainException.invalidField("verificationUuid", "verificationUuid must be a UUID");
        }
        return uuid;
    }

    private static String checkTxHash(String txHash) {
        String v = VaspRegistry.text(txHash, "txHash", 128);
        if (!v.matches("[A-Za-z0-9]+")) {
            throw DomainException.invalidField("txHash", "txHash may hold only letters and digits");
        }
        return v;
    }

    private static Optional<String> checkVout(Optional<String> vout) {
        Optional<String> v = vout.filter(s -> !s.isBlank()).map(String::strip);
        if (v.isPresent() && !v.get().matches("\\d{1,10}")) {
            throw DomainException.invalidField("vout", "vout must be a non-negative integer");
        }
        return v;
    }

    private static String limit(String s) {
        return s.length() <= MAX_MESSAGE ? s : s.substring(0, MAX_MESSAGE - 3) + "...";
    }

    private Optional<VerificationRow> find(long tenant, String uuid, ActionType type) {
        if (uuid == null || uuid.isBlank() || uuid.length() > 64) {
            return Optional.empty();
        }
        return Optional.ofNullable(db.read(s -> s.getMapper(TravelRuleMapper.class)
                .verification(tenant, uuid.strip(), type.name())));
    }

    private VerificationRow baseRow(long tenant, VerificationRequest req, ActionType type, String opposite,
            Instant created) {
        VerificationRow r = new VerificationRow();
        r.tenantId = tenant;
        r.uuid = req.uuid();
        r.actionType = type.name();
        AssetInfo a = req.asset();
        r.symbol = a.symbol();
        r.network = a.network().orElse(null);
        r.amount = a.amount();
        r.isExceedingThreshold = a.exceedingThreshold();
        r.tradePrice = a.tradePrice();
        r.tradeCurrency = a.tradeCurrency();
        r.tradeIsoDatetime = VaspRegistry.utc(a.tradeTime());
        r.originatingVaspId = req.originatingVaspId();
        r.originatorAccountNumber = req.originatorAccountNumber();
        r.ivms101OriginatingVasp = req.originatingVaspJson();
        r.beneficiaryVaspId = req.beneficiaryVaspId().orElse(opposite);
        r.beneficiaryAccountNumber = req.beneficiaryAccountNumber();
        r.oppositeVaspId = opposite;
        r.createdAt = VaspRegistry.utc(created);
        r.ivms101OriginatorEnc = seal(req.originatorJson(), r, "originator");
        r.ivms101BeneficiaryEnc = seal(req.beneficiaryJson(), r, "beneficiary");
        return r;
    }

    /**
     * Records the reported transaction; the verification's webhook status moves from its result to
     * {@value #ORDERED} the first time.
     */
    private static int reportTransaction(SqlSession s, VerificationRow row, String tx, Optional<String> out,
            LocalDateTime at) {
        int n = s.getMapper(TravelRuleMapper.class).reportTransaction(row.id, tx, out.orElse(null), at);
        if (row.orderedAt == null && row.result != null) {
            WebhookEvents.verificationStatusChanged(s, row.tenantId, String.valueOf(row.id), row.uuid,
                    row.actionType, row.result, ORDERED, at.toInstant(ZoneOffset.UTC));
        }
        return n;
    }

    /** The webhook status of a verification whose transaction was reported. */
    static final String ORDERED = "ORDERED";

    private void insert(VerificationRow row) {
        try {
            db.inTransaction(s -> {
                s.getMapper(TravelRuleMapper.class).insertVerification(row);
                if (row.result != null) {
                    WebhookEvents.verificationStatusChanged(s, row.tenantId, String.valueOf(row.id), row.uuid,
                            row.actionType, null, row.result, row.createdAt.toInstant(ZoneOffset.UTC));
                }
                return null;
            });
        } catch (PersistenceException e) {
            throw VaspRegistry.duplicateOr(e, "A verification with this uuid is already recorded");
        }
    }

    private byte[] seal(String json, VerificationRow r, String part) {
        return crypto.encrypt(json.getBytes(StandardCharsets.UTF_8), aad(r, part));
    }

    private String open(byte[] box, VerificationRow r, String part) {
        return new String(crypto.decrypt(box, aad(r, part)), StandardCharsets.UTF_8);
    }

    /**
     * Binds a sealed payload to its tenant and part, so it cannot be read as
     * another tenant's data or as the other party. (Not to the row's uuid, so
     * rows can be copied in bulk, e.g. by the benchmark.)
     */
    public static byte[] aad(VerificationRow r, String part) {
        return ("tr:" + r.tenantId + ":" + part).getBytes(StandardCharsets.UTF_8);
    }

    private Verification toVerification(VerificationRow r) {
        return new Verification(String.valueOf(r.id), r.uuid, ActionType.valueOf(r.actionType),
                Optional.ofNullable(r.result).map(Result::valueOf), Optional.ofNullable(r.reason),
                Optional.ofNullable(r.message),
                new AssetInfo(r.symbol, Optional.ofNullable(r.network), r.amount,
                        Boolean.TRUE.equals(r.isExceedingThreshold), r.tradePrice, r.tradeCurrency,
                        r.tradeIsoDatetime.toInstant(ZoneOffset.UTC)),
                Optional.ofNullable(r.txHash), Optional.ofNullable(r.vout), r.originatingVaspId,
                r.originatorAccountNumber, open(r.ivms101OriginatorEnc, r, "originator"), r.ivms101OriginatingVasp,
                r.beneficiaryVaspId, r.beneficiaryAccountNumber, open(r.ivms101BeneficiaryEnc, r, "beneficiary"),
                Optional.ofNullable(r.ivms101BeneficiaryVasp),
                Optional.ofNullable(r.verifiedAt).map(t -> t.toInstant(ZoneOffset.UTC)),
                Optional.ofNullable(r.orderedAt).map(t -> t.toInstant(ZoneOffset.UTC)),
                r.createdAt.toInstant(ZoneOffset.UTC));
    }
}
