package org.openkyc.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A REST client generated from the OpenAPI document the gateway serves (openapi-generator, generator
 * {@code python}) runs one journey against the real product: creates a profile, reads its status, and reads an
 * unknown profile's status as an error. The generator and the client's Python environment are installed by
 * {@code setup/65-openapi.sh} into the cache folder; the client is generated into {@code target/openapi-client}.
 */
class OpenApiClientIT {

    private static final String GENERATOR_VERSION = "7.10.0";

    private final TestProduct p = TestProduct.get();

    @Test
    void aGeneratedPythonClientCreatesAProfileAndReadsItsStatus() throws Exception {
        Path cache = Path.of(System.getProperty("openkyc.cacheDir", ".cache"), "openapi").toAbsolutePath();
        Path jar = cache.resolve("openapi-generator-cli-" + GENERATOR_VERSION + ".jar");
        Path python = cache.resolve("venv/bin/python");
        assertThat(Files.isRegularFile(jar) && Files.isExecutable(python))
                .as("the generator and the Python environment are missing from " + cache
                        + ": run setup/65-openapi.sh (or bin/setup)")
                .isTrue();

        Path work = Path.of("target", "openapi-client").toAbsolutePath();
        Files.createDirectories(work);
        HttpResponse<String> served = p.call("GET", "/openapi.json", null, null);
        assertThat(served.statusCode()).isEqualTo(200);
        Path spec = work.resolve("openapi.json");
        Files.writeString(spec, served.body(), StandardCharsets.UTF_8);

        Path client = work.resolve("python");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        run(work, List.of(java, "-jar", jar.toString(), "generate", "-i", spec.toString(), "-g", "python",
                "-o", client.toString(), "--package-name", "openkyc_client",
                "--global-property", "apiTests=false,modelTests=false,apiDocs=false,modelDocs=false"));

        String base = p.url("");
        base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        List<String> out = run(work, List.of(python.toString(),
                Path.of("src/test/python/openapi_journey.py").toAbsolutePath().toString(), client.toString(), base,
                p.product.gateway().certificateFile().toString(), p.clientKeyA));
        JsonObject seen = JsonParser.parseString(out.get(out.size() - 1)).getAsJsonObject();

        assertThat(seen.get("submitCode").getAsInt()).isZero();
        String profileId = seen.get("profileId").getAsString();
        assertThat(profileId).isNotBlank();
        assertThat(seen.get("statusCode").getAsInt()).isZero();
        assertThat(seen.get("statusProfileId").getAsString()).isEqualTo(profileId);
        assertThat(seen.get("overallStatus").getAsString()).isNotBlank();
        // The error reaches the client as the KYC family's error body.
        assertThat(seen.get("unknownProfile").getAsInt()).isEqualTo(404);
        JsonObject error = seen.getAsJsonObject("unknownProfileBody");
        assertThat(error.get("code").getAsInt()).isNotZero();
        assertThat(error.get("message").getAsString()).isNotBlank();
    }

    /** Runs a command to its end and returns its output lines; fails with the output when it does not exit 0. */
    private static List<String> run(Path dir, List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        process.getOutputStream().close();
        List<String> lines = new ArrayList<>();
        try (var reader = process.inputReader(StandardCharsets.UTF_8)) {
            reader.lines().forEach(lines::add);
        }
        boolean done = process.waitFor(5, TimeUnit.MINUTES);
        if (!done) {
            process.destroyForcibly();
        }
        String output = String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        assertThat(done && process.exitValue() == 0).as(command.get(0) + " " + command.get(1) + " failed:\n"
                + output).isTrue();
        return lines;
    }
}
