package org.openkyc.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevCertificateTest {

    @TempDir
    Path dir;

    @Test
    void generatesALocalhostCertificateAndReusesIt() throws Exception {
        final DevCertificate first = DevCertificate.loadOrCreate(dir.resolve("tls"));
        assertThat(first.generated()).isTrue();
        assertThat(first.certificateFile()).hasFileName("cert.pem");
        assertThat(first.privateKeyFile()).hasFileName("key.pem");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(first.privateKeyFile())))
                .isEqualTo("rw-------");
        assertThat(Files.readString(first.privateKeyFile())).startsWith("-----BEGIN PRIVATE KEY-----");

        final X509Certificate cert = DevCertificate.readCertificate(first.certificateFile());
        assertThat(cert.getSubjectX500Principal().getName()).contains("CN=localhost");
        assertThat(cert.getPublicKey().getAlgorithm()).isEqualTo("EC");
        final List<String> sans = cert.getSubjectAlternativeNames().stream()
                                      .map(san -> String.valueOf(san.get(1))).collect(Collectors.toList());
        assertThat(sans).contains("localhost", "127.0.0.1").anyMatch(s -> s.startsWith("0:0:0:0:0:0:0:1"));
        final Duration validity = Duration.between(cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant());
        assertThat(validity).isBetween(Duration.ofDays(365), Duration.ofDays(366));

        final byte[] pem = Files.readAllBytes(first.certificateFile());
        final DevCertificate second = DevCertificate.loadOrCreate(dir.resolve("tls"));
        assertThat(second.generated()).isFalse();
        assertThat(Files.readAllBytes(second.certificateFile())).isEqualTo(pem);
        assertThat(second.notAfter()).isEqualTo(first.notAfter());
    }

    @Test
    void replacesAnExpiringOrBrokenCertificate() throws Exception {
        final DevCertificate first = DevCertificate.loadOrCreate(dir);
        final Clock nextYear = Clock.fixed(Instant.now().plus(Duration.ofDays(360)), ZoneOffset.UTC);
        final DevCertificate renewed = DevCertificate.loadOrCreate(dir, nextYear);
        assertThat(renewed.generated()).isTrue();
        assertThat(renewed.notAfter()).isAfter(first.notAfter());

        Files.writeString(dir.resolve("cert.pem"), "garbage");
        final DevCertificate repaired = DevCertificate.loadOrCreate(dir);
        assertThat(repaired.generated()).isTrue();
        assertThat(DevCertificate.readCertificate(repaired.certificateFile())).isNotNull();

        Files.delete(dir.resolve("key.pem"));
        assertThat(DevCertificate.loadOrCreate(dir).generated()).isTrue();
    }

    @Test
    void tightensLooseKeyPermissions() throws Exception {
        final DevCertificate first = DevCertificate.loadOrCreate(dir);
        Files.setPosixFilePermissions(first.privateKeyFile(), PosixFilePermissions.fromString("rw-r--r--"));
        final DevCertificate again = DevCertificate.loadOrCreate(dir);
        assertThat(again.generated()).isFalse();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(again.privateKeyFile())))
                .isEqualTo("rw-------");
    }
}
