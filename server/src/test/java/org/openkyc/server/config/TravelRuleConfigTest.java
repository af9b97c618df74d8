package org.openkyc.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TravelRuleConfigTest {

    private static Map<String, String> base() {
        Map<String, String> env = new HashMap<>();
        env.put("MYSQL_URL", "jdbc:mysql://db:3306/openkyc");
        env.put("MYSQL_USER", "kyc");
        env.put("OPENKYC_DATA_KEY", Base64.getEncoder().encodeToString(new byte[32]));
        return env;
    }

    private static Map<String, String> vasp() {
        Map<String, String> env = base();
        env.put("OPENKYC_VASP_ID", "vasp-a");
        env.put("OPENKYC_VASP_IVMS101", "{\"legalPerson\":{}}");
        env.put("OPENKYC_TRAVEL_RULE_TENANT", "acme");
        env.put("OPENKYC_VASP_TLS_CERT", "/etc/openkyc/vasp.pem");
        env.put("OPENKYC_VASP_TLS_KEY", "/etc/openkyc/vasp.key");
        return env;
    }

    @Test
    void offByDefaultWithTheDocumentedThresholds() {
        ServerConfig c = ServerConfig.fromEnvironment(base());
        assertThat(c.travelRule()).isEmpty();
        assertThat(c.thresholds().asMap()).containsEntry("USD", new BigDecimal("1000"))
                .containsEntry("KRW", new BigDecimal("1000000"));
    }

    @Test
    void readsTheExchangeSettings() {
        Map<String, String> env = vasp();
        env.put("OPENKYC_TRAVEL_RULE_THRESHOLDS", "EUR=900");
        ServerConfig c = ServerConfig.fromEnvironment(env);
        ServerConfig.TravelRule t = c.travelRule().orElseThrow();
        assertThat(t.vaspId()).isEqualTo("vasp-a");
        assertThat(t.port()).isEqualTo(9443);
        assertThat(t.timeoutMillis()).isEqualTo(10_000);
        assertThat(c.thresholds().asMap()).containsOnlyKeys("EUR");
        assertThat(c.toBuilder().build().travelRule()).contains(t);
        assertThat(c.toString()).contains("vasp=vasp-a@");
    }

    @Test
    void refusesAnIncompleteExchange() {
        for (String name : new String[] {"OPENKYC_VASP_IVMS101", "OPENKYC_TRAVEL_RULE_TENANT", "OPENKYC_VASP_TLS_KEY"}) {
            Map<String, String> env = vasp();
            env.remove(name);
            assertThatThrownBy(() -> ServerConfig.fromEnvironment(env)).hasMessageContaining(name);
        }
        Map<String, String> env = vasp();
        env.put("OPENKYC_VASP_ID", "vasp a/b");
        assertThatThrownBy(() -> ServerConfig.fromEnvironment(env)).hasMessageContaining("OPENKYC_VASP_ID");
        Map<String, String> bad = base();
        bad.put("OPENKYC_TRAVEL_RULE_THRESHOLDS", "USD=lots");
        assertThatThrownBy(() -> ServerConfig.fromEnvironment(bad)).hasMessageContaining("THRESHOLDS");
    }
}
