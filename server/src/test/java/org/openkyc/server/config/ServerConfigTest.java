package org.openkyc.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerConfigTest {

    private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);

    @Test
    void readsTheEnvironmentWithDefaults() {
        ServerConfig c = ServerConfig.fromEnvironment(Map.of("MYSQL_URL", "jdbc:mysql://db:3306/openkyc",
                "MYSQL_USER", "kyc", "MYSQL_PASSWORD", "s3cret", "OPENKYC_DATA_KEY", KEY));
        assertThat(c.grpcPort()).isEqualTo(9090);
        assertThat(c.dbPoolSize()).isEqualTo(10);
        assertThat(c.toString()).doesNotContain("s3cret");
    }

    @Test
    void refusesWhatCannotWork() {
        assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of("MYSQL_URL", "jdbc:mysql://db/x",
                "MYSQL_USER", "u", "OPENKYC_DATA_KEY", "c2hvcnQ=")))
                .hasMessageContaining("OPENKYC_DATA_KEY");
        assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of("MYSQL_USER", "u", "OPENKYC_DATA_KEY", KEY)))
                .hasMessageContaining("MYSQL_URL");
        assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of("MYSQL_URL", "jdbc:postgresql://x/y",
                "MYSQL_USER", "u", "OPENKYC_DATA_KEY", KEY))).hasMessageContaining("jdbc:mysql");
        assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of("MYSQL_URL", "jdbc:mysql://db/x",
                "MYSQL_USER", "u", "OPENKYC_DATA_KEY", KEY, "OPENKYC_GRPC_PORT", "ninety")))
                .hasMessageContaining("OPENKYC_GRPC_PORT");
    }

    @Test
    void readThreadsDefaultToTwoPerCoreWithinThePool() {
        Map<String, String> base = Map.of("MYSQL_URL", "jdbc:mysql://db/x", "MYSQL_USER", "u", "OPENKYC_DATA_KEY", KEY);
        int cores = Runtime.getRuntime().availableProcessors();
        assertThat(ServerConfig.fromEnvironment(base).readThreads()).isEqualTo(Math.min(10, 2 * cores));
        java.util.HashMap<String, String> env = new java.util.HashMap<>(base);
        env.put("OPENKYC_DB_POOL_SIZE", "1");
        assertThat(ServerConfig.fromEnvironment(env).readThreads()).isEqualTo(1);
        env.put("OPENKYC_READ_THREADS", "12");
        assertThat(ServerConfig.fromEnvironment(env).readThreads()).isEqualTo(12);
        assertThat(ServerConfig.fromEnvironment(env).toBuilder().build().readThreads()).isEqualTo(12);
        env.put("OPENKYC_READ_THREADS", "0");
        assertThatThrownBy(() -> ServerConfig.fromEnvironment(env)).hasMessageContaining("OPENKYC_READ_THREADS");
    }

    @Test
    void readsTheDecisionSettings() {
        Map<String, String> base = Map.of("MYSQL_URL", "jdbc:mysql://db/x", "MYSQL_USER", "u", "OPENKYC_DATA_KEY", KEY);
        ServerConfig d = ServerConfig.fromEnvironment(base);
        assertThat(d.decision().autoApprove()).isTrue();
        assertThat(d.decision().maxAttempts()).isEqualTo(3);
        assertThat(d.decision().faceMatchThreshold()).isEqualTo(60);
        assertThat(d.decision().livenessThreshold()).isEqualTo(50);
        assertThat(d.documentUrlHosts()).isEmpty();
        java.util.HashMap<String, String> env = new java.util.HashMap<>(base);
        env.put("OPENKYC_AUTO_APPROVE", "false");
        env.put("OPENKYC_MAX_ATTEMPTS", "5");
        env.put("OPENKYC_DOCUMENT_URL_HOSTS", "cdn.example.com, Images.Example.org:8443");
        ServerConfig c = ServerConfig.fromEnvironment(env);
        assertThat(c.decision().autoApprove()).isFalse();
        assertThat(c.decision().maxAttempts()).isEqualTo(5);
        assertThat(c.documentUrlHosts()).containsExactly("cdn.example.com", "images.example.org:8443");
        assertThat(c.toBuilder().build().documentUrlHosts()).isEqualTo(c.documentUrlHosts());
        env.put("OPENKYC_AUTO_APPROVE", "maybe");
        assertThatThrownBy(() -> ServerConfig.fromEnvironment(env)).hasMessageContaining("OPENKYC_AUTO_APPROVE");
        env.put("OPENKYC_AUTO_APPROVE", "true");
        env.put("OPENKYC_MAX_ATTEMPTS", "0");
        assertThatThrownBy(() -> ServerConfig.fromEnvironment(env)).hasMessageContaining("OPENKYC_MAX_ATTEMPTS");
        env.put("OPENKYC_MAX_ATTEMPTS", "3");
        env.put("OPENKYC_DOCUMENT_URL_HOSTS", "https://cdn.example.com/");
        assertThatThrownBy(() -> ServerConfig.fromEnvironment(env))
                .hasMessageContaining("OPENKYC_DOCUMENT_URL_HOSTS");
    }

    @Test
    void readsTheScreeningSettings() {
        Map<String, String> base = Map.of("MYSQL_URL", "jdbc:mysql://db/x", "MYSQL_USER", "u", "OPENKYC_DATA_KEY", KEY);
        ServerConfig d = ServerConfig.fromEnvironment(base);
        assertThat(d.sanctionsDir()).isEmpty();
        assertThat(d.screeningThreshold()).isEqualTo(0.92);
        assertThat(d.screeningReviewFloor()).isEqualTo(0.80);
        assertThat(d.sanctionsReloadSeconds()).isEqualTo(60);
        assertThat(d.reportFonts()).hasSize(3);

        java.util.Map<String, String> env = new java.util.HashMap<>(base);
        env.put("OPENKYC_SANCTIONS_DIR", "/srv/lists");
        env.put("OPENKYC_SCREENING_THRESHOLD", "0.9");
        env.put("OPENKYC_SCREENING_REVIEW_FLOOR", "0.75");
        env.put("OPENKYC_SANCTIONS_RELOAD_SECONDS", "0");
        env.put("OPENKYC_REPORT_FONTS", "/a.ttf, /b.ttf");
        ServerConfig c = ServerConfig.fromEnvironment(env);
        assertThat(c.sanctionsDir()).contains(java.nio.file.Path.of("/srv/lists"));
        assertThat(c.screeningThreshold()).isEqualTo(0.9);
        assertThat(c.screeningReviewFloor()).isEqualTo(0.75);
        assertThat(c.sanctionsReloadSeconds()).isZero();
        assertThat(c.reportFonts()).containsExactly(java.nio.file.Path.of("/a.ttf"), java.nio.file.Path.of("/b.ttf"));
        assertThat(c.withGrpcPort(1).sanctionsDir()).isEqualTo(c.sanctionsDir());

        env.put("OPENKYC_SCREENING_REVIEW_FLOOR", "0.95");
        assertThatThrownBy(() -> ServerConfig.fromEnvironment(env)).hasMessageContaining("OPENKYC_SCREENING_REVIEW_FLOOR");
        env.put("OPENKYC_SCREENING_REVIEW_FLOOR", "0.8");
        assertThat(ServerConfig.fromEnvironment(env).screeningReviewMinWeight()).isEqualTo(1.0);
        assertThat(ServerConfig.fromEnvironment(env).screeningReviewMinListedShare()).isEqualTo(0.6);
        env.put("OPENKYC_SCREENING_REVIEW_MIN_WEIGHT", "1.4");
        env.put("OPENKYC_SCREENING_REVIEW_MIN_LISTED_SHARE", "0.7");
        assertThat(ServerConfig.fromEnvironment(env).screeningReviewMinWeight()).isEqualTo(1.4);
        assertThat(ServerConfig.fromEnvironment(env).withGrpcPort(1).screeningReviewMinListedShare()).isEqualTo(0.7);
        env.put("OPENKYC_SCREENING_REVIEW_MIN_LISTED_SHARE", "1.5");
        assertThatThrownBy(() -> ServerConfig.fromEnvironment(env))
                .hasMessageContaining("OPENKYC_SCREENING_REVIEW_MIN_LISTED_SHARE");
        env.put("OPENKYC_SCREENING_REVIEW_MIN_LISTED_SHARE", "0.5");
        env.put("OPENKYC_SCREENING_REVIEW_MIN_WEIGHT", "-1");
        assertThatThrownBy(() -> ServerConfig.fromEnvironment(env))
                .hasMessageContaining("OPENKYC_SCREENING_REVIEW_MIN_WEIGHT");
        env.put("OPENKYC_SCREENING_REVIEW_MIN_WEIGHT", "1");
        env.put("OPENKYC_SCREENING_THRESHOLD", "high");
        assertThatThrownBy(() -> ServerConfig.fromEnvironment(env)).hasMessageContaining("OPENKYC_SCREENING_THRESHOLD");
    }

    @Test
    void theLivenessCallbackSecretIsOptionalButLongWhenSet() {
        Map<String, String> base = Map.of("MYSQL_URL", "jdbc:mysql://db:3306/openkyc", "MYSQL_USER", "kyc",
                "OPENKYC_DATA_KEY", KEY);
        assertThat(ServerConfig.fromEnvironment(base).livenessCallbackSecret()).isEmpty();
        java.util.Map<String, String> set = new java.util.HashMap<>(base);
        set.put("OPENKYC_LIVENESS_CALLBACK_SECRET", "0123456789abcdef0123456789abcdef");
        ServerConfig c = ServerConfig.fromEnvironment(set);
        assertThat(c.livenessCallbackSecret()).contains("0123456789abcdef0123456789abcdef");
        assertThat(c.toBuilder().build().livenessCallbackSecret()).isEqualTo(c.livenessCallbackSecret());
        assertThat(c.toString()).doesNotContain("0123456789abcdef");
        set.put("OPENKYC_LIVENESS_CALLBACK_SECRET", "short");
        assertThatThrownBy(() -> ServerConfig.fromEnvironment(set))
                .hasMessageContaining("OPENKYC_LIVENESS_CALLBACK_SECRET");
    }
}
