package org.openkyc.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docker-compose.yml, the production shape, checked offline with Debian's docker-compose (installed by
 * setup/50-seaweedfs.sh; no Docker engine needed): it is valid, and every service waits for what it needs
 * to be healthy, has a health check of its own, and takes its secrets from files.
 */
class ComposeFileTest {

    private static final Path COMPOSE = Path.of(System.getProperty("openkyc.composeFile", "../docker-compose.yml"))
            .toAbsolutePath().normalize();

    private record Run(int exit, String out) { }

    private static Run compose(Path file, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("docker-compose", "-f", file.toString()));
        cmd.addAll(List.of(args));
        Process p;
        try {
            // The project folder is the file's own; no variable of the caller's environment may change the check.
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(file.getParent().toFile()).redirectErrorStream(true);
            pb.environment().keySet().removeIf(k -> k.startsWith("OPENKYC_") || k.startsWith("COMPOSE_"));
            p = pb.start();
        } catch (IOException e) {
            throw new IllegalStateException("docker-compose is not installed: run bin/setup (setup/50-seaweedfs.sh"
                    + " installs Debian's docker-compose) or apt-get install docker-compose", e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("docker-compose did not finish");
        }
        return new Run(p.exitValue(), out);
    }

    /** The services of the normalised file, each with its own lines. */
    private static Map<String, String> services(String normalised) {
        Map<String, String> out = new LinkedHashMap<>();
        String current = null;
        boolean inServices = false;
        StringBuilder body = new StringBuilder();
        for (String line : normalised.split("\n")) {
            if (!line.startsWith(" ")) {
                if (current != null) {
                    out.put(current, body.toString());
                    current = null;
                }
                inServices = line.equals("services:");
                continue;
            }
            if (inServices && line.matches("  [a-z0-9-]+:")) {
                if (current != null) {
                    out.put(current, body.toString());
                }
                current = line.strip().replace(":", "");
                body = new StringBuilder();
            } else if (current != null) {
                body.append(line).append('\n');
            }
        }
        if (current != null) {
            out.put(current, body.toString());
        }
        return out;
    }

    @Test
    void theComposeFileIsValid() throws Exception {
        Run check = compose(COMPOSE, "config", "-q");
        assertThat(check.exit()).as(check.out()).isZero();
    }

    @Test
    void everyServiceWaitsForHealthyDependenciesAndHasAHealthCheck() throws Exception {
        Run config = compose(COMPOSE, "config");
        assertThat(config.exit()).as(config.out()).isZero();
        Map<String, String> services = services(config.out());
        assertThat(services.keySet()).containsExactlyInAnyOrder("mysql", "seaweedfs", "seaweedfs-bucket",
                "server-1", "server-2", "gateway");
        for (String name : List.of("mysql", "seaweedfs", "server-1", "server-2", "gateway")) {
            assertThat(services.get(name)).as(name + " has a health check").contains("healthcheck:");
        }
        for (String name : List.of("server-1", "server-2")) {
            String s = services.get(name);
            assertThat(s).contains("platform: linux/amd64");
            assertThat(s.replaceAll("\\s+", " "))
                    .contains("mysql: condition: service_healthy")
                    .contains("seaweedfs: condition: service_healthy")
                    .contains("seaweedfs-bucket: condition: service_completed_successfully");
            // Object storage and secrets from files, never in the environment.
            assertThat(s).contains("OPENKYC_BLOB_STORE: s3").contains("OPENKYC_S3_ENDPOINT: http://seaweedfs:8333")
                    .contains("AWS_ACCESS_KEY_ID_FILE: /run/secrets/s3_access_key_id")
                    .contains("AWS_SECRET_ACCESS_KEY_FILE: /run/secrets/s3_secret_access_key")
                    .contains("OPENKYC_DATA_KEY_FILE: /run/secrets/data_key")
                    .contains("MYSQL_PASSWORD_FILE: /run/secrets/mysql_password")
                    .contains("OPENKYC_MANAGEMENT_PORT: '9464'").contains("/readyz")
                    .doesNotContain("OPENKYC_DATA_KEY:").doesNotContain("MYSQL_PASSWORD:")
                    .doesNotContain("AWS_SECRET_ACCESS_KEY:");
        }
        String gateway = services.get("gateway").replaceAll("\\s+", " ");
        assertThat(gateway).contains("server-1: condition: service_healthy")
                .contains("server-2: condition: service_healthy")
                .contains("OPENKYC_UPSTREAMS: server-1:9090,server-2:9090")
                .contains("OPENKYC_GATEWAY_MANAGEMENT_PORT: '9465'")
                .contains("OPENKYC_TLS_KEY: /run/secrets/gateway_tls_key");
        // Only the gateway's HTTPS port is published.
        for (Map.Entry<String, String> e : services.entrySet()) {
            if (!e.getKey().equals("gateway")) {
                assertThat(e.getValue()).as(e.getKey() + " publishes no port").doesNotContain("ports:");
            }
        }
        assertThat(gateway).contains("published: 8443").doesNotContain("published: 9465");
    }

    @Test
    void theCheckCatchesABrokenFile(@TempDir Path dir) throws Exception {
        Path broken = Files.writeString(dir.resolve("docker-compose.yml"), """
                version: "3.8"
                services:
                  a:
                    image: busybox
                    depends_on:
                      b:
                        condition: service_wonderful
                  b:
                    image: busybox
                """);
        assertThat(compose(broken, "config", "-q").exit()).isNotZero();
    }
}
