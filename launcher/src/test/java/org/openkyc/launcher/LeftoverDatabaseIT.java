package org.openkyc.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The local product never leaves an orphaned database behind to block its next start: a launcher killed
 * with SIGKILL leaves its mariadbd running, and the next start on the same folder and port stops that
 * process (found by its pid file and checked by its command line) and starts normally. A pid file naming
 * any other process, even one called mariadbd, leaves that process alone.
 */
class LeftoverDatabaseIT {

    private static final Duration CHILD_START = Duration.ofSeconds(180);

    private final List<Process> started = new ArrayList<>();
    private final List<Long> leftovers = new ArrayList<>();

    @AfterEach
    void stopEverythingThisTestStarted() {
        for (Process p : started) {
            p.destroyForcibly();
        }
        for (long pid : leftovers) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void aDatabaseLeftByAKilledLauncherIsStoppedAndTheNextStartSucceeds() throws Exception {
        Path folder = TestProduct.freshHome("leftover").resolve("mariadb");
        int port = freePort();

        // A launcher's database part, in its own JVM, killed outright.
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                "-cp", System.getProperty("java.class.path"), DatabaseChild.class.getName(),
                folder.toString(), Integer.toString(port))
                .redirectErrorStream(true).start();
        started.add(child);
        awaitReady(child);
        long orphan = pidFromPidFile(folder.resolve("data"));
        leftovers.add(orphan);
        assertThat(EmbeddedMariaDb.isMariaDbOn(orphan, folder.resolve("data"))).isTrue();

        child.destroyForcibly();
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        // This is what used to block the next start: the database outlives its launcher and keeps the port.
        assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive)).contains(true);

        try (EmbeddedMariaDb next = EmbeddedMariaDb.start(folder, port)) {
            assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            assertThat(next.port()).isEqualTo(port);
            try (Connection c = DriverManager.getConnection(next.jdbcUrl(), next.user(), "");
                 ResultSet rs = c.createStatement().executeQuery("SELECT 1")) {
                assertThat(rs.next()).isTrue();
            }
            long now = pidFromPidFile(folder.resolve("data"));
            assertThat(now).isNotEqualTo(orphan);

            // While a launcher runs on the folder, a second one is refused instead of stopping its database.
            assertThatThrownBy(() -> EmbeddedMariaDb.start(folder, 0))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("in use");
            assertThat(ProcessHandle.of(now).map(ProcessHandle::isAlive)).contains(true);
        }
    }

    @Test
    void aPidFileNamingAnotherProcessLeavesThatProcessAlone() throws Exception {
        Path data = TestProduct.freshHome("pidfile").resolve("mariadb").resolve("data");
        Files.createDirectories(data);
        Path elsewhere = TestProduct.freshHome("elsewhere").resolve("data");
        // Stand-ins that wait on their (never written) standard input, with chosen command lines: a shell
        // started through a link called mariadbd shows that name as its command.
        Path fakeHere = link(data.getParent().resolve("base/bin/mariadbd"));
        Path fakeElsewhere = link(elsewhere.resolve("bin/mariadbd"));
        String waitForInput = "read -t 300 || true";

        Process unrelated = spawn("bash", "-c", waitForInput);
        Process namedLikeIt = spawn(fakeElsewhere.toString(), "-c", waitForInput);
        Process otherFolder = spawn(fakeElsewhere.toString(), "-c", waitForInput, "--datadir=" + elsewhere);
        for (Process p : List.of(unrelated, namedLikeIt, otherFolder)) {
            Files.writeString(data.resolve("host-" + p.pid() + ".pid"), p.pid() + "\n");
        }
        Files.writeString(data.resolve("garbage.pid"), "not a pid\n");
        Files.writeString(data.resolve("gone.pid"), "999999999\n");
        // A process whose command line shows a mariadbd on exactly this folder is stopped.
        Process matching = spawn(fakeHere.toString(), "-c", waitForInput, "--datadir=" + data);
        Files.writeString(data.resolve("host-" + matching.pid() + ".pid"), matching.pid() + "\n");

        assertThat(EmbeddedMariaDb.stopLeftover(data, Duration.ofSeconds(20))).containsExactly(matching.pid());

        assertThat(matching.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(unrelated.isAlive()).isTrue();
        assertThat(namedLikeIt.isAlive()).isTrue();
        assertThat(otherFolder.isAlive()).isTrue();
    }

    private static Path link(Path at) throws IOException {
        Files.createDirectories(at.getParent());
        return Files.createSymbolicLink(at, Path.of("/bin/bash"));
    }

    private Process spawn(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        started.add(p);
        return p;
    }

    /** Reads the child's output on a daemon thread until it ends; waits for its {@code READY} line. */
    private static void awaitReady(Process child) throws Exception {
        StringBuffer output = new StringBuffer();
        CompletableFuture<Boolean> ready = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(
                    new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    output.append(line).append('\n');
                    if (line.startsWith("READY ")) {
                        ready.complete(true);
                    }
                }
            } catch (IOException e) {
                // the child was killed
            }
            ready.complete(false);
        }, "database-child-output");
        reader.setDaemon(true);
        reader.start();
        boolean ok;
        try {
            ok = ready.get(CHILD_START.toSeconds(), TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            ok = false;
        }
        if (!ok) {
            throw new AssertionError("the database child did not start:\n" + output);
        }
    }

    private static long pidFromPidFile(Path data) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(data, "*.pid")) {
            for (Path f : files) {
                return Long.parseLong(Files.readString(f).trim());
            }
        }
        throw new AssertionError("no pid file in " + data);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
