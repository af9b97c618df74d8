package org.openkyc.gateway;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Set;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A self-signed development certificate for {@code localhost} (EC P-256, SAN DNS {@code localhost},
 * IP {@code 127.0.0.1} and {@code ::1}, valid one year), kept as {@code cert.pem} and {@code key.pem}
 * (PKCS#8, permissions 600) in a folder. It is generated on first use and reused while it stays
 * valid; it is regenerated when missing, unreadable, mismatched or within
 * {@link #RENEW_BEFORE_EXPIRY} of its expiry.
 *
 * <p>Only for development and tests: clients must trust {@link #certificateFile()} explicitly.
 */
public final class DevCertificate {

    private static final Logger logger = LoggerFactory.getLogger(DevCertificate.class);

    /** File name of the certificate in the folder. */
    public static final String CERT_FILE = "cert.pem";
    /** File name of the private key in the folder. */
    public static final String KEY_FILE = "key.pem";
    /** Validity of a generated certificate. */
    public static final Duration VALIDITY = Duration.ofDays(365);
    /** A certificate this close to its expiry is replaced. */
    public static final Duration RENEW_BEFORE_EXPIRY = Duration.ofDays(7);

    private static final String LOCK_FILE = ".lock";
    private static final Object JVM_LOCK = new Object();

    private final Path certificateFile;
    private final Path privateKeyFile;
    private final Instant notAfter;
    private final boolean generated;

    private DevCertificate(Path certificateFile, Path privateKeyFile, Instant notAfter, boolean generated) {
        this.certificateFile = certificateFile;
        this.privateKeyFile = privateKeyFile;
        this.notAfter = notAfter;
        this.generated = generated;
    }

    /** Loads the certificate kept in {@code dir}, or generates one there. */
    public static DevCertificate loadOrCreate(Path dir) {
        return loadOrCreate(dir, Clock.systemUTC());
    }

    /** Like {@link #loadOrCreate(Path)} with a given clock (tests). */
    public static DevCertificate loadOrCreate(Path dir, Clock clock) {
        final Path absDir = dir.toAbsolutePath().normalize();
        synchronized (JVM_LOCK) {
            try {
                createDirectory(absDir);
                try (FileChannel lockChannel = FileChannel.open(absDir.resolve(LOCK_FILE),
                                                                 StandardOpenOption.CREATE,
                                                                 StandardOpenOption.WRITE);
                     FileLock ignored = lockChannel.lock()) {
                    return loadOrCreateLocked(absDir, clock);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot prepare the development certificate in " + absDir, e);
            }
        }
    }

    private static DevCertificate loadOrCreateLocked(Path dir, Clock clock) throws IOException {
        final Path certFile = dir.resolve(CERT_FILE);
        final Path keyFile = dir.resolve(KEY_FILE);
        final Instant now = clock.instant();
        if (Files.isRegularFile(certFile) && Files.isRegularFile(keyFile)) {
            try {
                final X509Certificate cert = readCertificate(certFile);
                final PrivateKey key = readPrivateKey(keyFile);
                final Instant notAfter = cert.getNotAfter().toInstant();
                if (!keyMatches(cert, key)) {
                    logger.warn("Development certificate in {} does not match its key; generating a new one", dir);
                } else if (now.plus(RENEW_BEFORE_EXPIRY).isAfter(notAfter)
                           || now.isBefore(cert.getNotBefore().toInstant())) {
                    logger.info("Development certificate in {} expires {}; generating a new one", dir, notAfter);
                } else {
                    restrictPermissions(keyFile);
                    logger.info("Reusing the development certificate {} (valid until {})", certFile, notAfter);
                    return new DevCertificate(certFile, keyFile, notAfter, false);
                }
            } catch (IOException | GeneralSecurityException | RuntimeException e) {
                logger.warn("Cannot read the development certificate in {} ({}); generating a new one",
                            dir, e.getClass().getSimpleName());
            }
        }
        return generate(dir, certFile, keyFile, now);
    }

    private static DevCertificate generate(Path dir, Path certFile, Path keyFile, Instant now) throws IOException {
        final KeyPair keyPair;
        final X509Certificate cert;
        try {
            final KeyPairGenerator kpg = KeyPairGenerator.getInstance("EC");
            kpg.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            keyPair = kpg.generateKeyPair();
            final X500Name subject = new X500Name("CN=localhost,O=OpenKYC development");
            final Instant notBefore = now.minus(Duration.ofHours(1));
            final Instant notAfter = now.plus(VALIDITY);
            final X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    subject, new BigInteger(127, new SecureRandom()).add(BigInteger.ONE),
                    Date.from(notBefore), Date.from(notAfter), subject, keyPair.getPublic());
            final JcaX509ExtensionUtils extUtils = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.dNSName, "localhost"),
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                    new GeneralName(GeneralName.iPAddress, "::1"),
            }));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false,
                                 new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                                 extUtils.createSubjectKeyIdentifier(keyPair.getPublic()));
            cert = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keyPair.getPrivate())));
        } catch (GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException
                 | org.bouncycastle.cert.CertIOException e) {
            throw new IllegalStateException("Cannot generate the development certificate", e);
        }

        final StringWriter keyPem = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(keyPem)) {
            w.writeObject(new JcaPKCS8Generator(keyPair.getPrivate(), null));
        }
        final StringWriter certPem = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(certPem)) {
            w.writeObject(cert);
        }
        // Key first: a certificate next to a missing key is regenerated anyway.
        writeAtomically(dir, keyFile, keyPem.toString(), true);
        writeAtomically(dir, certFile, certPem.toString(), false);
        final Instant notAfter = cert.getNotAfter().toInstant();
        logger.info("Generated a self-signed development certificate {} for localhost (valid until {})",
                    certFile, notAfter);
        return new DevCertificate(certFile, keyFile, notAfter, true);
    }

    private static boolean keyMatches(X509Certificate cert, PrivateKey key) throws GeneralSecurityException {
        final String algorithm = "EC".equals(key.getAlgorithm()) ? "SHA256withECDSA" : "SHA256withRSA";
        final byte[] probe = "openkyc-dev-certificate".getBytes(StandardCharsets.US_ASCII);
        final Signature signer = Signature.getInstance(algorithm);
        signer.initSign(key);
        signer.update(probe);
        final byte[] signature = signer.sign();
        final Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(cert.getPublicKey());
        verifier.update(probe);
        return verifier.verify(signature);
    }

    static X509Certificate readCertificate(Path file) throws IOException, GeneralSecurityException {
        try (var in = Files.newInputStream(file)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private static PrivateKey readPrivateKey(Path file) throws IOException {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
             PEMParser parser = new PEMParser(r)) {
            final Object o = parser.readObject();
            final JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (o instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            if (o instanceof PEMKeyPair pair) {
                return converter.getKeyPair(pair).getPrivate();
            }
            throw new IOException("not a PEM private key");
        }
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    private static void createDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        if (posix()) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
        } else {
            Files.createDirectories(dir);
        }
    }

    private static void restrictPermissions(Path keyFile) throws IOException {
        if (!posix()) {
            return;
        }
        final Set<PosixFilePermission> perms = Files.getPosixFilePermissions(keyFile);
        final Set<PosixFilePermission> wanted = PosixFilePermissions.fromString("rw-------");
        if (!perms.equals(wanted)) {
            try {
                Files.setPosixFilePermissions(keyFile, wanted);
                logger.warn("Restricted the permissions of {} to 600", keyFile);
            } catch (IOException e) {
                logger.warn("{} is readable by others and its permissions cannot be changed", keyFile);
            }
        }
    }

    private static void writeAtomically(Path dir, Path target, String content, boolean secret) throws IOException {
        final Path tmp;
        if (posix()) {
            tmp = Files.createTempFile(dir, target.getFileName().toString(), ".tmp",
                                       PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                                               secret ? "rw-------" : "rw-r--r--")));
        } else {
            tmp = Files.createTempFile(dir, target.getFileName().toString(), ".tmp");
        }
        try {
            Files.writeString(tmp, content, StandardCharsets.US_ASCII);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The PEM certificate: give it to clients as the certificate to trust. */
    public Path certificateFile() {
        return certificateFile;
    }

    /** The PEM (PKCS#8) private key, permissions 600. */
    public Path privateKeyFile() {
        return privateKeyFile;
    }

    /** When the certificate expires. */
    public Instant notAfter() {
        return notAfter;
    }

    /** True when this call generated the certificate, false when an existing one was reused. */
    public boolean generated() {
        return generated;
    }
}
