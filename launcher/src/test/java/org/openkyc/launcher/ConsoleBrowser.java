package org.openkyc.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a browser script of console/e2e (Playwright driving Debian's Chromium) with the machine's Node. */
final class ConsoleBrowser {

    static final Path CONSOLE = Path.of("..", "console").toAbsolutePath().normalize();
    /** Screenshots and the scripts' logs, kept as build artifacts. */
    static final Path SHOTS = Path.of("target", "console-screenshots").toAbsolutePath();

    private ConsoleBrowser() {
    }

    /** Runs {@code console/e2e/<script>} with {@code env} and returns the JSON object of its last output line. */
    static JsonObject run(String script, Map<String, String> env) throws IOException, InterruptedException {
        assertThat(CONSOLE.resolve("node_modules/playwright-core")).as("console/build.sh installs playwright-core")
                .isDirectory();
        Files.createDirectories(SHOTS);
        Path log = SHOTS.resolve(script + ".log");
        ProcessBuilder pb = new ProcessBuilder("node", CONSOLE.resolve("e2e").resolve(script).toString())
                .directory(CONSOLE.toFile()).redirectError(log.toFile());
        pb.environment().putAll(env);
        pb.environment().put("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        Process proc = pb.start();
        byte[] out = proc.getInputStream().readAllBytes();
        if (!proc.waitFor(10, TimeUnit.MINUTES)) {
            proc.destroyForcibly();
        }
        String stdout = new String(out, StandardCharsets.UTF_8).trim();
        assertThat(proc.exitValue()).as("the browser script failed:\n" + Files.readString(log) + stdout).isZero();
        return JsonParser.parseString(stdout.substring(stdout.lastIndexOf('\n') + 1)).getAsJsonObject();
    }

    /** The elements of a JSON array as text. */
    static List<String> strings(JsonArray a) {
        List<String> out = new ArrayList<>();
        a.forEach(e -> out.add(e.isJsonPrimitive() ? e.getAsString() : e.toString()));
        return out;
    }
}
