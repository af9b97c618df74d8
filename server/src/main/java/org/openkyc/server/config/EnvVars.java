package org.openkyc.server.config;

import java.nio.file.Path;
import java.util.Map;

/**
 * Typed reads of environment variables for the configuration objects: blank
 * means the default, a value that does not parse fails naming the variable.
 */
final class EnvVars {

    private EnvVars() {
    }

    static int intVar(Map<String, String> env, String name, int fallback) {
        long v = longVar(env, name, fallback);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + " is out of range, was '" + env.get(name) + "'");
        }
        return (int) v;
    }

    static long longVar(Map<String, String> env, String name, long fallback) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an integer, was '" + v + "'");
        }
    }

    static double doubleVar(Map<String, String> env, String name, double fallback) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, was '" + v + "'");
        }
    }

    static boolean boolVar(Map<String, String> env, String name, boolean fallback) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        return switch (v.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off" -> false;
            default -> throw new IllegalArgumentException(name + " must be true or false, was '" + v + "'");
        };
    }

    static Path path(Map<String, String> env, String name, Path fallback) {
        String v = env.get(name);
        return v == null || v.isBlank() ? fallback : Path.of(v.trim());
    }
}
