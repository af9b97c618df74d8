package org.openkyc.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The clients' examples (clients/, one per language) run as an integrator runs them, each in a process of its
 * own against the product's public HTTPS port: gRPC (and gRPC-Web from TypeScript) over TLS trusting the
 * development certificate, with a client key. Each creates a profile, uploads the ICAO specimen passport,
 * reads the status and deletes the case; the test checks what each printed and that the case is gone.
 *
 * <p>Python, TypeScript and Go go through clients/run-example.sh, which generates their code first; their
 * tools are installed by setup/60-clients.sh (bin/setup).
 */
class ClientExamplesIT {

    private static final TestProduct p = TestProduct.get();
    private static final Path ROOT = Path.of(System.getProperty("openkyc.repoDir", "..")).toAbsolutePath().normalize();
    private static final Path IMAGE = ROOT.resolve("server/src/test/resources/vision/passport-td3-specimen.png");
    /** No example takes this long even on a loaded machine; a hung one fails the test instead of the build. */
    private static final long GIVE_UP_MINUTES = 15;

    @Test
    void java() throws Exception {
        Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
        // The test's own class path holds the example module and everything it needs, and also the product's
        // logging, which an integrator's application would not have: silenced, so that stdout is the example's.
        Path quiet = Files.createDirectories(Path.of("target", "client-examples")).resolve("logback-quiet.xml");
        Files.writeString(quiet, "<configuration/>\n");
        assertExample("java", Map.of(), javaBin.toString(), "-Xmx256m",
                "-Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener",
                "-Dlogback.configurationFile=" + quiet.toAbsolutePath(),
                "-cp", System.getProperty("java.class.path"), "org.openkyc.client.example.KycExample",
                IMAGE.toString());
    }

    @Test
    void python() throws Exception {
        assertExample("python", Map.of(), "bash", script(), "python", IMAGE.toString());
    }

    @Test
    void typescriptOverGrpc() throws Exception {
        assertExample("typescript-grpc", Map.of("OPENKYC_PROTOCOL", "grpc"), "bash", script(), "typescript",
                IMAGE.toString());
    }

    @Test
    void typescriptOverGrpcWeb() throws Exception {
        assertExample("typescript-grpc-web", Map.of("OPENKYC_PROTOCOL", "grpc-web"), "bash", script(), "typescript",
                IMAGE.toString());
    }

    @Test
    void go() throws Exception {
        assertExample("go", Map.of(), "bash", script(), "go", IMAGE.toString());
    }

    private static String script() {
        return ROOT.resolve("clients/run-example.sh").toString();
    }

    private static void assertExample(String name, Map<String, String> env, String... command) throws Exception {
        Path dir = Path.of("target", "client-examples").toAbsolutePath();
        Files.createDirectories(dir);
        Path out = dir.resolve(name + ".out");
        Path err = dir.resolve(name + ".err");
        ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("OPENKYC_TARGET", "127.0.0.1:" + p.product.gateway().httpsPort());
        pb.environment().put("OPENKYC_API_KEY", p.clientKeyA);
        pb.environment().put("OPENKYC_CA_FILE", p.product.gateway().certificateFile().toString());
        pb.environment().put("OPENKYC_CACHE_DIR",
                Path.of(System.getProperty("openkyc.cacheDir", ROOT.resolve(".cache").toString())).toString());
        pb.environment().putAll(env);
        Process process = pb.start();
        if (!process.waitFor(GIVE_UP_MINUTES, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError(name + " example did not finish; its output is in " + out + " and " + err);
        }
        String printed = Files.readString(out, StandardCharsets.UTF_8);
        String why = name + " example printed:\n" + printed + "\nand on stderr:\n" + tail(err);
        assertThat(process.exitValue()).as(why).isZero();

        List<String> lines = new ArrayList<>(printed.lines().toList());
        assertThat(lines).as(why).hasSize(4);
        Matcher created = Pattern.compile("created profile (\\w+)").matcher(lines.get(0));
        assertThat(created.matches()).as(why).isTrue();
        String profileId = created.group(1);
        // The image arrived whole: the specimen's name was read from it.
        assertThat(lines.get(1)).as(why).matches("uploaded document \\d+: name read \"ANNA MARIA ERIKSSON\"");
        assertThat(lines.get(2)).as(why).isEqualTo("status: overall=incomplete document=uploaded");
        assertThat(lines.get(3)).as(why).isEqualTo("deleted: Submission #" + profileId + " deleted successfully.");

        // Deleted for good: the REST API does not know the case any more.
        HttpResponse<String> status = p.call("GET", "/api/web/kycService/status/" + profileId, p.clientKeyA, null);
        assertThat(status.statusCode()).as(status.body()).isEqualTo(404);
    }

    private static String tail(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
