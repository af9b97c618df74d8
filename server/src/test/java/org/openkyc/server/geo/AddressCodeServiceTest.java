package org.openkyc.server.geo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.openlocationcode.OpenLocationCode;
import org.junit.jupiter.api.Test;
import org.openkyc.server.error.DomainException;
import org.openkyc.server.error.ErrorCode;

/** docs/API.md A5 on the real gazetteer: addresses, coordinates and Plus Codes in, Plus Codes out. */
class AddressCodeServiceTest {

    private final Countries countries = new Countries();
    private final GazetteerSource source = GazetteerSource.of(TestGazetteer.get());
    private final AddressCodeService service =
            new AddressCodeService(new GazetteerGeocoder(source, countries), source, countries);

    @Test
    void coordinatesOfTheDocumentedExampleGiveItsCodes() {
        AddressCode c = service.encode("37.5759,126.9769", null);
        assertThat(c.globalCode()).isEqualTo("8Q98HXGG+9Q");
        assertThat(c.compoundCode()).isEqualTo("HXGG+9Q Seoul, South Korea");
        assertThat(c.formattedAddress()).isEqualTo("37.5759,126.9769");
        assertThat(c.precision()).isEqualTo(Precision.EXACT);
    }

    @Test
    void theDocumentedPlusCodeIsAcceptedAndShortenedAgainstSeoul() {
        AddressCode c = service.encode("8Q98HXPG+MP", "en");
        assertThat(c.globalCode()).isEqualTo("8Q98HXPG+MP");
        assertThat(c.compoundCode()).isEqualTo("HXPG+MP Seoul, South Korea");
        assertThat(OpenLocationCode.decode(c.globalCode()).getCenterLatitude()).isEqualTo(c.point().latitude());
    }

    @Test
    void aShortCodeWithItsLocalityIsRecovered() {
        AddressCode c = service.encode("HXPG+MP Seoul, South Korea", null);
        assertThat(c.globalCode()).isEqualTo("8Q98HXPG+MP");
        assertThat(service.encode("hxpg+mp\tSeoul", null).globalCode()).isEqualTo("8Q98HXPG+MP");
        assertThatThrownBy(() -> service.encode("8Q98HXPG+MP Seoul", null)).isInstanceOf(DomainException.class)
                .hasMessageContaining("stands alone");
    }

    @Test
    void anAddressGivesTheCodeOfItsLocalityAndSaysSo() {
        AddressCode c = service.encode("1 Sejongno, Jongno-gu, Seoul, South Korea", "en");
        assertThat(c.formattedAddress()).isEqualTo("Seoul, South Korea");
        assertThat(c.precision()).isEqualTo(Precision.LOCALITY);
        assertThat(c.globalCode()).startsWith("8Q98HX").hasSize(11);
        assertThat(c.compoundCode()).isEqualTo(c.globalCode().substring(4) + " Seoul, South Korea");
    }

    @Test
    void theLanguageNamesTheCountry() {
        assertThat(service.encode("37.5759,126.9769", "ko").compoundCode()).isEqualTo("HXGG+9Q Seoul, 대한민국");
    }

    @Test
    void farFromAnyLocalityTheCompoundCodeIsTheFullCode() {
        AddressCode c = service.encode("0,-140", null);
        assertThat(c.compoundCode()).isEqualTo(c.globalCode()).isEqualTo(OpenLocationCode.encode(0, -140));
    }

    @Test
    void badInputIsRefusedWithAClearCode() {
        assertThatThrownBy(() -> service.encode(" ", null)).isInstanceOf(DomainException.class)
                .hasMessage("address is required");
        assertThatThrownBy(() -> service.encode("91.5,10", null)).isInstanceOf(DomainException.class)
                .extracting(e -> ((DomainException) e).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThatThrownBy(() -> service.encode("Seoul", "not a language")).isInstanceOf(DomainException.class)
                .extracting(e -> ((DomainException) e).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThatThrownBy(() -> service.encode("HXPG+MP", null)).isInstanceOf(DomainException.class)
                .extracting(e -> ((DomainException) e).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    }

    @Test
    void anUnknownAddressIsNotFoundNeverAMadeUpPoint() {
        assertThatThrownBy(() -> service.encode("Nowhere Street 1, Xyzzyville, Qwertyland", null))
                .isInstanceOf(DomainException.class)
                .extracting(e -> ((DomainException) e).code()).isEqualTo(ErrorCode.ADDRESS_NOT_FOUND);
    }

    @Test
    void withoutGazetteerDataTheRouteIsUnavailable() {
        GazetteerSource missing = GazetteerSource.load(java.nio.file.Path.of("target", "no-such-gazetteer"));
        AddressCodeService s = new AddressCodeService(new GazetteerGeocoder(missing, countries), missing, countries);
        assertThatThrownBy(() -> s.encode("Seoul", null)).isInstanceOf(DomainException.class)
                .extracting(e -> ((DomainException) e).code()).isEqualTo(ErrorCode.UNAVAILABLE);
    }
}
