package org.openkyc.server.config;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Tracing: the standard OpenTelemetry variables ({@code OTEL_*}) of the process, as given. Off unless an OTLP
 * endpoint ({@code OTEL_EXPORTER_OTLP_ENDPOINT} or {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT}) or a traces
 * exporter other than {@code none} ({@code OTEL_TRACES_EXPORTER}) is set; {@code OTEL_SDK_DISABLED=true}
 * turns it off whatever else is set. Immutable; validated at construction with a message naming the variable.
 */
public final class TracingConfig {

    public static final String ENV_PREFIX = "OTEL_";
    public static final String ENV_SDK_DISABLED = "OTEL_SDK_DISABLED";
    public static final String ENV_ENDPOINT = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public static final String ENV_TRACES_ENDPOINT = "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT";
    public static final String ENV_TRACES_EXPORTER = "OTEL_TRACES_EXPORTER";
    public static final String ENV_PROTOCOL = "OTEL_EXPORTER_OTLP_PROTOCOL";
    public static final String ENV_TRACES_PROTOCOL = "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL";

    /** No tracing: what a server built in code gets. */
    public static final TracingConfig OFF = new TracingConfig(Map.of());

    private final Map<String, String> otel;
    private final boolean exports;

    public TracingConfig(Map<String, String> otelVariables) {
        Map<String, String> m = new TreeMap<>();
        otelVariables.forEach((k, v) -> {
            if (k.startsWith(ENV_PREFIX) && v != null && !v.isBlank()) {
                m.put(k, v.strip());
            }
        });
        String disabled = m.get(ENV_SDK_DISABLED);
        if (disabled != null && !disabled.equalsIgnoreCase("true") && !disabled.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException(ENV_SDK_DISABLED + " must be true or false, was " + disabled);
        }
        for (String protocol : new String[] {ENV_PROTOCOL, ENV_TRACES_PROTOCOL}) {
            String given = m.get(protocol);
            if (given != null && !given.equals("http/protobuf")) {
                throw new IllegalArgumentException(protocol + " must be http/protobuf (OTLP over HTTP), was " + given);
            }
        }
        String exporter = m.get(ENV_TRACES_EXPORTER);
        this.otel = Map.copyOf(m);
        this.exports = !"true".equalsIgnoreCase(disabled)
                && (exporter == null ? m.containsKey(ENV_ENDPOINT) || m.containsKey(ENV_TRACES_ENDPOINT)
                        : !exporter.equalsIgnoreCase("none"));
    }

    public static TracingConfig fromEnvironment(Map<String, String> env) {
        return new TracingConfig(env);
    }

    /** Whether spans are recorded and exported at all. */
    public boolean exports() {
        return exports;
    }

    /** The variables as OpenTelemetry configuration properties ({@code OTEL_BSP_SCHEDULE_DELAY} -> {@code otel.bsp.schedule.delay}). */
    public Map<String, String> properties() {
        Map<String, String> p = new TreeMap<>();
        otel.forEach((k, v) -> p.put(k.toLowerCase(Locale.ROOT).replace('_', '.'), v));
        return p;
    }

    @Override
    public String toString() {
        return exports ? "tracing on (" + String.join(",", otel.keySet()) + ")" : "tracing off";
    }
}
