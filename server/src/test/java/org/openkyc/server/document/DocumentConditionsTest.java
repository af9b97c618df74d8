package org.openkyc.server.document;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.openkyc.server.vision.TestVision;

/**
 * The reader under the capture conditions of real uploads: each condition must give the rendered
 * identity with every check digit holding, and no quality issue may stand in the way of a zone that
 * holds. What a condition degrades is reported as a quality issue, not as a refusal.
 */
class DocumentConditionsTest {

    private static OpenCvDocumentReader reader;

    @BeforeAll
    static void load() {
        reader = new OpenCvDocumentReader(TestVision.config(),
                Clock.fixed(Instant.parse("2026-11-22T00:00:00Z"), ZoneOffset.UTC));
    }

    @AfterAll
    static void close() {
        reader.close();
    }

    /** One capture condition: how to make the image from a random identity. */
    record Condition(String name, MrzFormat format, Function<Scene, byte[]> make) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** A rendered identity and the random source to degrade it with. */
    record Scene(SyntheticDocuments.Identity id, Random rnd) {
        byte[] photo() {
            return SyntheticDocuments.render(id, null, rnd);
        }

        byte[] cropped() {
            return SyntheticDocuments.renderCropped(id, rnd);
        }
    }

    static Stream<Condition> conditions() {
        return Stream.of(
                new Condition("skew 15", MrzFormat.TD3, s -> SyntheticDocuments.skew(s.photo(), 15)),
                new Condition("skew -20", MrzFormat.TD3, s -> SyntheticDocuments.skew(s.photo(), -20)),
                new Condition("skew 30", MrzFormat.TD3, s -> SyntheticDocuments.skew(s.photo(), 30)),
                new Condition("flatbed scan skewed 20", MrzFormat.TD3,
                        s -> SyntheticDocuments.skew(SyntheticDocuments.renderFlatbed(s.id(), s.rnd()), 20, 255)),
                new Condition("close-up skewed 20, no outline", MrzFormat.TD3,
                        s -> SyntheticDocuments.skew(s.cropped(), -20, 240)),
                new Condition("rotation 90", MrzFormat.TD3, s -> SyntheticDocuments.quarterTurns(s.photo(), 1)),
                new Condition("rotation 180", MrzFormat.TD3, s -> SyntheticDocuments.quarterTurns(s.photo(), 2)),
                new Condition("rotation 270", MrzFormat.TD1, s -> SyntheticDocuments.quarterTurns(s.photo(), 3)),
                new Condition("perspective", MrzFormat.TD3, s -> SyntheticDocuments.perspective(s.photo(), 0.2)),
                new Condition("20% of the frame", MrzFormat.TD3,
                        s -> SyntheticDocuments.fill(s.cropped(), 0.2)),
                new Condition("web image 500 px", MrzFormat.TD3,
                        s -> SyntheticDocuments.width(s.cropped(), 500)),
                new Condition("card 180 px tall", MrzFormat.TD1,
                        s -> SyntheticDocuments.height(s.cropped(), 180)),
                new Condition("flatbed white", MrzFormat.TD3,
                        s -> SyntheticDocuments.renderFlatbed(s.id(), s.rnd())),
                new Condition("glare on the data page", MrzFormat.TD3,
                        s -> SyntheticDocuments.glare(SyntheticDocuments.exposure(s.photo(), 0.8), 0.55, 0.4, 0.12, 0.07)),
                new Condition("jpeg 25", MrzFormat.TD3, s -> SyntheticDocuments.jpeg(s.photo(), 25)),
                new Condition("motion blur", MrzFormat.TD3, s -> SyntheticDocuments.motionBlur(s.photo(), 9)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("conditions")
    void readsTheZoneUnderEachCondition(Condition c) {
        Random rnd = new Random(c.name().hashCode());
        SyntheticDocuments.Identity id = SyntheticDocuments.randomIdentity(rnd, c.format());
        byte[] image = c.make().apply(new Scene(id, rnd));
        long t0 = System.nanoTime();
        DocumentReading d = reader.read(image);
        System.out.printf("%-24s %s %s %s %d ms%n", c.name(), d.mrzStatus(), d.quality().issues(),
                d.quality().scores(), (System.nanoTime() - t0) / 1_000_000);
        assertThat(d.mrzStatus()).as(c.name()).isEqualTo(MrzStatus.VALID);
        assertThat(d.mrz().orElseThrow().lines()).isEqualTo(id.lines());
        assertThat(d.blockingIssues()).as(c.name()).isEmpty();
    }
}
