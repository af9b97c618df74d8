package org.openkyc.launcher;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away certificate authority for tests: a self-signed CA and
 * certificates it issues for "localhost" / 127.0.0.1, usable both as TLS
 * server and client certificates, written as PEM files.
 */
final class TestPki {

    private static final SecureRandom RANDOM = new SecureRandom();

    final String name;
    final KeyPair caKeys;
    final X509Certificate ca;
    final Path dir;

    /** A leaf certificate and its key as PEM files. */
    record Issued(Path cert, Path key) {
    }

    TestPki(Path dir, String name) {
        try {
            this.dir = Files.createDirectories(dir);
            this.name = name;
            this.caKeys = keys();
            X500Name subject = new X500Name("CN=" + name + " test CA");
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, serial(), from(), to(), subject,
                    caKeys.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            this.ca = sign(b, caKeys);
            Files.writeString(caFile(), pem(ca));
        } catch (Exception e) {
            throw new IllegalStateException("cannot create the test CA", e);
        }
    }

    Path caFile() {
        return dir.resolve("ca.pem");
    }

    String caPem() {
        try {
            return Files.readString(caFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A certificate for localhost issued by this CA. */
    Issued issue(String leaf) {
        try {
            KeyPair kp = keys();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name("CN=" + name + " test CA"),
                    serial(), from(), to(), new X500Name("CN=" + leaf), kp.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true,
                    new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                    new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
            X509Certificate cert = sign(b, caKeys);
            Path certFile = dir.resolve(leaf + ".pem");
            Path keyFile = dir.resolve(leaf + ".key");
            Files.writeString(certFile, pem(cert));
            Files.writeString(keyFile, pem(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(kp.getPrivate(),
                    null).generate()));
            return new Issued(certFile, keyFile);
        } catch (Exception e) {
            throw new IllegalStateException("cannot issue a test certificate", e);
        }
    }

    private static KeyPair keys() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        return g.generateKeyPair();
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, KeyPair signer) throws Exception {
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
    }

    private static BigInteger serial() {
        return new BigInteger(64, RANDOM);
    }

    private static Date from() {
        return Date.from(Instant.now().minus(Duration.ofHours(1)));
    }

    private static Date to() {
        return Date.from(Instant.now().plus(Duration.ofDays(2)));
    }

    private static String pem(Object o) throws IOException {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter p = new JcaPEMWriter(w)) {
            p.writeObject(o);
        }
        return w.toString();
    }
}
