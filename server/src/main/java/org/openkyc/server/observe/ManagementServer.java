package org.openkyc.server.observe;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The management port: plain HTTP meant for loopback or an internal network, never the public port.
 * <ul>
 *   <li>{@code GET /healthz}: 200 while the process runs.</li>
 *   <li>{@code GET /readyz}: 200 when every readiness check passes, else 503; the body names each check.</li>
 *   <li>{@code GET /metrics}: the Prometheus text format.</li>
 * </ul>
 */
public final class ManagementServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ManagementServer.class);

    private final HttpServer server;
    private final ExecutorService executor;

    private ManagementServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Starts listening.
     *
     * @param checks readiness checks by name, in the order reported
     */
    public static ManagementServer start(String host, int port, Telemetry telemetry,
            Map<String, BooleanSupplier> checks) {
        HttpServer http;
        try {
            http = HttpServer.create(new InetSocketAddress(host, port), 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on the management port " + host + ":" + port, e);
        }
        ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "openkyc-management");
            t.setDaemon(true);
            return t;
        });
        http.setExecutor(executor);
        Map<String, BooleanSupplier> ready = new LinkedHashMap<>(checks);
        http.createContext("/healthz", ex -> {
            if (onlyGet(ex)) {
                send(ex, 200, "application/json", "{\"status\":\"UP\"}");
            }
        });
        http.createContext("/readyz", ex -> {
            if (onlyGet(ex)) {
                StringBuilder body = new StringBuilder("{\"checks\":{");
                boolean all = true;
                boolean first = true;
                for (Map.Entry<String, BooleanSupplier> c : ready.entrySet()) {
                    boolean ok;
                    try {
                        ok = c.getValue().getAsBoolean();
                    } catch (RuntimeException e) {
                        ok = false;
                    }
                    all &= ok;
                    body.append(first ? "" : ",").append('"').append(c.getKey()).append("\":\"")
                            .append(ok ? "UP" : "DOWN").append('"');
                    first = false;
                }
                body.append("},\"status\":\"").append(all ? "UP" : "DOWN").append("\"}");
                send(ex, all ? 200 : 503, "application/json", body.toString());
            }
        });
        http.createContext("/metrics", ex -> {
            if (onlyGet(ex)) {
                send(ex, 200, "text/plain; version=0.0.4; charset=utf-8", telemetry.scrape());
            }
        });
        http.createContext("/", ex -> send(ex, 404, "application/json", "{\"status\":\"NOT_FOUND\"}"));
        http.start();
        ManagementServer m = new ManagementServer(http, executor);
        log.info("Management (health, readiness, metrics) on http://{}:{}/", host.contains(":") ? "[" + host + "]"
                : host, m.port());
        return m;
    }

    private static boolean onlyGet(HttpExchange ex) throws IOException {
        if (!"GET".equals(ex.getRequestMethod()) && !"HEAD".equals(ex.getRequestMethod())) {
            ex.getResponseHeaders().set("allow", "GET, HEAD");
            send(ex, 405, "application/json", "{\"status\":\"METHOD_NOT_ALLOWED\"}");
            return false;
        }
        return true;
    }

    private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("content-type", type);
        ex.getResponseHeaders().set("cache-control", "no-store");
        boolean head = "HEAD".equals(ex.getRequestMethod());
        ex.sendResponseHeaders(status, head ? -1 : bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            if (!head) {
                out.write(bytes);
            }
        }
    }

    /** The bound port (the chosen one when configured 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
