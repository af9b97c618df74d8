package org.openkyc.launcher;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Everything the product logs while open, in the format {@code OPENKYC_LOG_FORMAT} chooses, through the
 * product's own logging configuration ({@code logback.xml}, the same as {@code config/logback.xml}). Standard
 * output and standard error are copied while open; {@link #close()} restores the configuration the tests run
 * with.
 */
final class CapturedLogs implements AutoCloseable {

    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private final PrintStream out = System.out;
    private final PrintStream err = System.err;

    private CapturedLogs(String format) {
        System.setOut(new PrintStream(new Tee(out, captured), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new Tee(err, captured), true, StandardCharsets.UTF_8));
        configure(format);
        // The product's own code at its most talkative: no level may carry personal data.
        context().getLogger("org.openkyc").setLevel(Level.DEBUG);
    }

    /** Starts capturing with {@code text} or {@code json}. */
    static CapturedLogs start(String format) {
        return new CapturedLogs(format);
    }

    /** Everything written so far. */
    synchronized String text() {
        synchronized (captured) {
            return captured.toString(StandardCharsets.UTF_8);
        }
    }

    List<String> lines() {
        return Arrays.stream(text().split("\n")).filter(l -> !l.isBlank()).toList();
    }

    /** The lines as JSON objects; fails on a line that is not one. */
    List<JsonObject> jsonLines() {
        return lines().stream().map(l -> {
            try {
                return JsonParser.parseString(l).getAsJsonObject();
            } catch (RuntimeException e) {
                throw new AssertionError("not a JSON log line: " + l, e);
            }
        }).toList();
    }

    @Override
    public void close() {
        System.setOut(out);
        System.setErr(err);
        LoggerContext ctx = context();
        ctx.reset();
        try {
            new ch.qos.logback.classic.util.ContextInitializer(ctx).autoConfig();
        } catch (JoranException e) {
            throw new IllegalStateException(e);
        }
    }

    private static LoggerContext context() {
        return (LoggerContext) LoggerFactory.getILoggerFactory();
    }

    private static void configure(String format) {
        LoggerContext ctx = context();
        URL config = CapturedLogs.class.getClassLoader().getResource("logback.xml");
        if (config == null) {
            throw new IllegalStateException("the product's logback.xml is not on the class path");
        }
        ctx.reset();
        ctx.putProperty("OPENKYC_LOG_FORMAT", format);
        JoranConfigurator joran = new JoranConfigurator();
        joran.setContext(ctx);
        try {
            joran.doConfigure(config);
        } catch (JoranException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes to the original stream and to the capture. */
    private static final class Tee extends OutputStream {
        private final OutputStream original;
        private final ByteArrayOutputStream copy;

        Tee(OutputStream original, ByteArrayOutputStream copy) {
            this.original = original;
            this.copy = copy;
        }

        @Override
        public void write(int b) {
            synchronized (copy) {
                copy.write(b);
            }
            try {
                original.write(b);
            } catch (java.io.IOException ignored) {
                // the console copy is best effort
            }
        }

        @Override
        public void write(byte[] b, int off, int len) {
            synchronized (copy) {
                copy.write(b, off, len);
            }
            try {
                original.write(b, off, len);
            } catch (java.io.IOException ignored) {
                // the console copy is best effort
            }
        }

        @Override
        public void flush() throws java.io.IOException {
            original.flush();
        }
    }
}
