package org.openkyc.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.util.Date;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Start-up failures are clear; a configured production certificate is served as is. */
class GatewayStartupTest {

    @TempDir
    Path dir;

    @Test
    void unusableCertificateNamesTheVariables() throws Exception {
        final Path cert = Files.writeString(dir.resolve("cert.pem"), "not a certificate");
        final Path key = Files.writeString(dir.resolve("key.pem"), "not a key");
        assertThatThrownBy(() -> Gateway.start(GatewayConfig.builder().host("127.0.0.1").port(0)
                                                            .upstreams("127.0.0.1:1")
                                                            .tlsCert(cert).tlsKey(key).build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("OPENKYC_TLS_CERT").hasMessageContaining("OPENKYC_TLS_KEY");
    }

    @Test
    void portInUseFailsClearly() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> Gateway.start(GatewayConfig.builder().host("127.0.0.1")
                                                                .port(taken.getLocalPort())
                                                                .upstreams("127.0.0.1:1")
                                                                .devCertDir(dir).build()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(String.valueOf(taken.getLocalPort()));
        }
    }

    @Test
    void servesAConfiguredCertificate() throws Exception {
        // Any PEM certificate and key serve as the "production" pair; borrow the generator to make one.
        final DevCertificate pair = DevCertificate.loadOrCreate(dir.resolve("prod"));
        try (UpstreamDouble upstream = UpstreamDouble.start("a");
             Gateway gateway = Gateway.start(GatewayConfig.builder().host("127.0.0.1").port(0)
                                                          .upstreams(upstream.address())
                                                          .tlsCert(pair.certificateFile())
                                                          .tlsKey(pair.privateKeyFile())
                                                          .devCertDir(dir.resolve("unused")).build())) {
            assertThat(gateway.certificateFile()).isEqualTo(pair.certificateFile());
            assertThat(Files.exists(dir.resolve("unused"))).isFalse();
            assertThat(new TestHttp(gateway).get("/internal/health", null).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void acceptsRsaKeysInPkcs1Form() throws Exception {
        final KeyPairGenerator kpg = KeyPairGenerator.getInstance("RSA");
        kpg.initialize(2048);
        final KeyPair keyPair = kpg.generateKeyPair();
        final X500Name name = new X500Name("CN=localhost");
        final Date now = new Date();
        final X509v3CertificateBuilder builder =
                new JcaX509v3CertificateBuilder(
                        name, BigInteger.TEN, now, new Date(now.getTime() + 86_400_000L), name,
                        keyPair.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false,
                             new GeneralNames(new GeneralName(
                                     GeneralName.iPAddress, "127.0.0.1")));
        final X509Certificate cert = new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder(
                        "SHA256withRSA").build(keyPair.getPrivate())));
        final Path certFile = dir.resolve("rsa-cert.pem");
        final Path keyFile = dir.resolve("rsa-key.pem");
        try (var w = new JcaPEMWriter(Files.newBufferedWriter(certFile))) {
            w.writeObject(cert);
        }
        try (var w = new JcaPEMWriter(Files.newBufferedWriter(keyFile))) {
            w.writeObject(keyPair); // "BEGIN RSA PRIVATE KEY" (PKCS#1)
        }
        assertThat(Files.readString(keyFile)).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        try (UpstreamDouble upstream = UpstreamDouble.start("a");
             Gateway gateway = Gateway.start(GatewayConfig.builder().host("127.0.0.1").port(0)
                                                          .upstreams(upstream.address())
                                                          .tlsCert(certFile).tlsKey(keyFile).build())) {
            assertThat(new TestHttp(gateway).get("/internal/health", null).statusCode()).isEqualTo(200);
        }
    }
}
