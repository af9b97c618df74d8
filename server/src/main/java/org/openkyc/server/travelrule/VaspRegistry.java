package org.openkyc.server.travelrule;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.apache.ibatis.exceptions.PersistenceException;
import org.openkyc.server.error.DomainException;
import org.openkyc.server.error.ErrorCode;
import org.openkyc.server.storage.Database;
import org.openkyc.server.storage.TravelRuleMapper;
import org.openkyc.server.storage.TravelRuleMapper.VaspRow;
import org.openkyc.server.storage.TravelRuleMapper.WalletRow;

/**
 * This VASP's own travel-rule data, per tenant: the counterpart VASPs it
 * talks to (with the CA certificates their certificates chain to), its
 * customers' wallet addresses (each tied to the customer's KYC case) and the
 * assets it supports.
 */
public final class VaspRegistry {

    /** A counterpart VASP. */
    public record CounterpartVasp(String id, String name, String endpoint, String caPem, Instant registeredAt) {
    }

    /** A customer wallet address; no symbol means every asset of the network. */
    public record WalletAddress(String address, String network, Optional<String> symbol, String kycCaseId,
            Instant createdAt) {
    }

    /** A symbol on a network. */
    public record SupportedAsset(String symbol, String network) {
    }

    /** One page of wallet addresses. */
    public record WalletPage(long count, int page, int rpp, List<WalletAddress> items) {
    }

    private final Database db;
    private final CustomerKyc kyc;
    private final Clock clock;

    public VaspRegistry(Database db, CustomerKyc kyc, Clock clock) {
        this.db = db;
        this.kyc = kyc;
        this.clock = clock;
    }

    public CounterpartVasp registerVasp(long tenantId, String id, String name, String endpoint, String caPem) {
        VaspRow r = new VaspRow();
        r.tenantId = tenantId;
        r.vaspId = vaspId(id, "vasp.id");
        r.name = text(name, "vasp.name", 200);
        r.endpoint = endpoint(endpoint);
        r.caPem = text(caPem, "vasp.caCertificatePem", 60_000);
        if (parseCertificates(r.caPem).isEmpty()) {
            throw DomainException.invalidField("vasp.caCertificatePem", "vasp.caCertificatePem must hold PEM certificates");
        }
        r.registeredAt = utc(clock.instant());
        db.inTransaction(s -> {
            s.getMapper(TravelRuleMapper.class).upsertVasp(r);
            return null;
        });
        return vasp(r);
    }

    public List<CounterpartVasp> vasps(long tenantId) {
        return db.read(s -> s.getMapper(TravelRuleMapper.class).vasps(tenantId).stream().map(VaspRegistry::vasp)
                .toList());
    }

    public Optional<CounterpartVasp> vasp(long tenantId, String id) {
        if (id == null || id.isBlank() || id.length() > 64) {
            return Optional.empty();
        }
        return Optional.ofNullable(db.read(s -> s.getMapper(TravelRuleMapper.class).vasp(tenantId, id.strip())))
                .map(VaspRegistry::vasp);
    }

    public void removeVasp(long tenantId, String id) {
        int n = db.inTransaction(s -> s.getMapper(TravelRuleMapper.class).deleteVasp(tenantId, id == null ? "" : id));
        if (n == 0) {
            throw new DomainException(ErrorCode.NOT_FOUND, "No counterpart VASP has this id");
        }
    }

    /**
     * The registered VASP whose CA certificate the presented chain (leaf
     * first) validates against, if any. Used to authenticate callers of the
     * exchange by their client certificate.
     */
    public Optional<String> vaspOfCertificate(long tenantId, X509Certificate[] chain) {
        if (chain == null || chain.length == 0) {
            return Optional.empty();
        }
        for (CounterpartVasp v : vasps(tenantId)) {
            if (chainsTo(chain, parseCertificates(v.caPem()))) {
                return Optional.of(v.id());
            }
        }
        return Optional.empty();
    }

    static boolean chainsTo(X509Certificate[] chain, List<X509Certificate> cas) {
        if (cas.isEmpty()) {
            return false;
        }
        try {
            Set<TrustAnchor> anchors = new HashSet<>();
            for (X509Certificate ca : cas) {
                anchors.add(new TrustAnchor(ca, null));
            }
            PKIXParameters params = new PKIXParameters(anchors);
            params.setRevocationEnabled(false);
            // The anchor itself is not part of the path to validate.
            List<X509Certificate> path = new ArrayList<>(Arrays.asList(chain));
            path.removeIf(cas::contains);
            if (path.isEmpty()) {
                return false;
            }
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            CertPathValidator.getInstance("PKIX").validate(cf.generateCertPath(path), params);
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** The certificates in a PEM text; empty when it holds none or cannot be read. */
    public static List<X509Certificate> parseCertificates(String pem) {
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            List<X509Certificate> out = new ArrayList<>();
            for (var c : cf.generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
                out.add((X509Certificate) c);
            }
            return out;
        } catch (GeneralSecurityException | RuntimeException e) {
            return List.of();
        }
    }

    public WalletAddress addWallet(long tenantId, String address, String network, Optional<String> symbol,
            String kycCaseId) {
        WalletRow r = new WalletRow();
        r.tenantId = tenantId;
        r.address = text(address, "walletAddress.address", 128);
        r.addressKey = addressKey(r.address);
        r.network = text(network, "walletAddress.network", 64);
        r.symbol = symbol.filter(s -> !s.isBlank()).map(s -> text(s, "walletAddress.symbol", 32)).orElse("");
        r.kycCaseId = text(kycCaseId, "walletAddress.kycCaseId", 32);
        if (kyc.find(tenantId, r.kycCaseId).isEmpty()) {
            throw DomainException.submissionNotFound(r.kycCaseId);
        }
        r.createdAt = utc(clock.instant());
        try {
            db.inTransaction(s -> {
                s.getMapper(TravelRuleMapper.class).insertWallet(r);
                return null;
            });
        } catch (PersistenceException e) {
            throw duplicateOr(e, "This address is already registered for this network and symbol");
        }
        return wallet(r);
    }

    public WalletPage wallets(long tenantId, Optional<String> caseId, Optional<String> network,
            Optional<String> address, int page, int rpp) {
        if (page < 1) {
            throw DomainException.invalidField("page", "page must be 1 or more");
        }
        if (rpp < 1) {
            throw DomainException.invalidField("rpp", "rpp must be 1 or more");
        }
        int size = Math.min(rpp, VerificationQuery.MAX_RPP);
        int offset = (int) Math.min(Integer.MAX_VALUE, (long) (page - 1) * size);
        String c = caseId.map(String::strip).orElse(null);
        String n = network.map(String::strip).orElse(null);
        String a = address.map(VaspRegistry::addressKey).orElse(null);
        return db.read(s -> {
            TravelRuleMapper m = s.getMapper(TravelRuleMapper.class);
            return new WalletPage(m.countWallets(tenantId, c, n, a), page, size,
                    m.wallets(tenantId, c, n, a, size, offset).stream().map(VaspRegistry::wallet).toList());
        });
    }

    public void removeWallet(long tenantId, String address, String network, Optional<String> symbol) {
        int n = db.inTransaction(s -> s.getMapper(TravelRuleMapper.class).deleteWallet(tenantId,
                addressKey(address == null ? "" : address), network == null ? "" : network.strip(),
                symbol.map(String::strip).orElse("")));
        if (n == 0) {
            throw new DomainException(ErrorCode.NOT_FOUND, "This wallet address is not registered");
        }
    }

    /** The customer wallet receiving this symbol at this address (on this network, if given). */
    public Optional<WalletAddress> findWallet(long tenantId, String address, Optional<String> network, String symbol) {
        if (address == null || address.isBlank() || address.length() > 128) {
            return Optional.empty();
        }
        return db.read(s -> s.getMapper(TravelRuleMapper.class)
                .wallets(tenantId, null, network.orElse(null), addressKey(address), 50, 0)).stream()
                .filter(w -> w.symbol.isEmpty() || w.symbol.equals(symbol))
                .findFirst().map(VaspRegistry::wallet);
    }

    public SupportedAsset addAsset(long tenantId, String symbol, String network) {
        String sy = text(symbol, "asset.symbol", 32);
        String nw = text(network, "asset.network", 64);
        try {
            db.inTransaction(s -> {
                s.getMapper(TravelRuleMapper.class).insertAsset(tenantId, nw, sy);
                return null;
            });
        } catch (PersistenceException e) {
            throw duplicateOr(e, "This asset is already supported");
        }
        return new SupportedAsset(sy, nw);
    }

    public List<SupportedAsset> assets(long tenantId) {
        return db.read(s -> s.getMapper(TravelRuleMapper.class).assets(tenantId)).stream()
                .map(a -> new SupportedAsset(a.symbol, a.network)).toList();
    }

    public void removeAsset(long tenantId, String symbol, String network) {
        int n = db.inTransaction(s -> s.getMapper(TravelRuleMapper.class).deleteAsset(tenantId,
                network == null ? "" : network.strip(), symbol == null ? "" : symbol.strip()));
        if (n == 0) {
            throw new DomainException(ErrorCode.NOT_FOUND, "This asset is not supported");
        }
    }

    /**
     * The form an address is compared in: hexadecimal "0x" addresses (EVM
     * chains) are case-insensitive, so they are compared in lower case; other
     * address formats are case-sensitive and compared as given.
     */
    static String addressKey(String address) {
        String a = address.strip();
        return a.startsWith("0x") || a.startsWith("0X") ? a.toLowerCase(Locale.ROOT) : a;
    }

    static DomainException duplicateOr(PersistenceException e, String message) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLIntegrityConstraintViolationException) {
                return new DomainException(ErrorCode.CONFLICT, message);
            }
        }
        throw e;
    }

    private static String vaspId(String id, String field) {
        String v = text(id, field, 64);
        if (!v.matches("[A-Za-z0-9._-]+")) {
            throw DomainException.invalidField(field, field + " may hold only letters, digits, '.', '_' and '-'");
        }
        return v;
    }

    private static String endpoint(String endpoint) {
        String v = text(endpoint, "vasp.endpoint", 300);
        int colon = v.lastIndexOf(':');
        boolean ok = colon > 0 && colon < v.length() - 1 && v.substring(colon + 1).matches("\\d{1,5}")
                && Integer.parseInt(v.substring(colon + 1)) <= 65535 && !v.contains("/");
        if (!ok) {
            throw DomainException.invalidField("vasp.endpoint", "vasp.endpoint must be host:port");
        }
        return v;
    }

    static String text(String value, String field, int max) {
        if (value == null || value.isBlank()) {
            throw DomainException.invalidField(field, field + " is required");
        }
        String v = value.strip();
        if (v.length() > max) {
            throw DomainException.invalidField(field, field + " is longer than " + max + " characters");
        }
        return v;
    }

    static LocalDateTime utc(Instant t) {
        return LocalDateTime.ofInstant(t, ZoneOffset.UTC).withNano((t.getNano() / 1_000_000) * 1_000_000);
    }

    private static CounterpartVasp vasp(VaspRow r) {
        return new CounterpartVasp(r.vaspId, r.name, r.endpoint, r.caPem, r.registeredAt.toInstant(ZoneOffset.UTC));
    }

    private static WalletAddress wallet(WalletRow r) {
        return new WalletAddress(r.address, r.network, r.symbol.isEmpty() ? Optional.empty() : Optional.of(r.symbol),
                r.kycCaseId, r.createdAt.toInstant(ZoneOffset.UTC));
    }
}
