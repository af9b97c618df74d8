package org.openkyc.server.kyc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MaskingTest {

    @Test
    void identityNumbersKeepOnlyTheirLeadingPart() {
        assertThat(Masking.identityNumber("981112-1234567")).isEqualTo("981112-1******");
        assertThat(Masking.identityNumber("L898902C3")).isEqualTo("L89******");
    }

    @Test
    void ipAddressesHideTheHostPart() {
        assertThat(Masking.ipAddress("203.0.113.7")).isEqualTo("203.0.*.*");
        assertThat(Masking.ipAddress("2001:db8:85a3::8a2e:370:7334")).isEqualTo("2001:db8:*");
    }
}
