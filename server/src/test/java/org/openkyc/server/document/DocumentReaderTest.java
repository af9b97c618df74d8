package org.openkyc.server.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openkyc.server.vision.TestVision;

/** The whole reader on the ICAO specimen and on synthetic OCR-B documents. */
class DocumentReaderTest {

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

    @Test
    void readsTheIcaoSpecimenPassport() {
        DocumentReading d = reader.read(TestVision.resource("passport-td3-specimen.png"));
        assertThat(d.ocrModel()).isEqualTo("ocrb_int");
        assertThat(d.mrzStatus()).isEqualTo(MrzStatus.VALID);
        MrzResult m = d.mrz().orElseThrow();
        assertThat(m.lines()).containsExactly(
                "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
                "L898902C36UTO7408122F1204159ZE184226B<<<<<10");
        assertThat(m.surname()).isEqualTo("ERIKSSON");
        assertThat(m.givenNames()).isEqualTo("ANNA MARIA");
        assertThat(m.documentNumber()).isEqualTo("L898902C3");
        assertThat(m.nationality()).isEqualTo("UTO");
        assertThat(m.birthDate()).isEqualTo(LocalDate.of(1974, 8, 12));
        assertThat(m.expiryDate()).isEqualTo(LocalDate.of(2012, 4, 15));
        assertThat(m.confidence().values()).allSatisfy(c -> assertThat(c).isGreaterThan(0.5));
        assertThat(d.quality().acceptable()).isTrue();
    }

    @Test
    void readsSyntheticDocumentsOfEveryFormatAndDegradation() {
        Random rnd = new Random(2026);
        int total = 0;
        int valid = 0;
        List<String> misses = new ArrayList<>();
        for (MrzFormat f : MrzFormat.values()) {
            for (SyntheticDocuments.Degradation deg : SyntheticDocuments.LEVELS) {
                SyntheticDocuments.Identity id = SyntheticDocuments.randomIdentity(rnd, f);
                byte[] img = SyntheticDocuments.degrade(SyntheticDocuments.render(id, null, rnd), deg, rnd);
                DocumentReading d = reader.read(img);
                total++;
                if (d.mrzStatus() == MrzStatus.VALID) {
                    valid++;
                    MrzResult m = d.mrz().orElseThrow();
                    // Valid means right: a reading whose checks hold must be the rendered identity.
                    assertThat(m.lines()).as(f + " " + deg.name()).isEqualTo(id.lines());
                    assertThat(m.documentNumber()).isEqualTo(id.number());
                    assertThat(m.birthDate()).isEqualTo(id.birth());
                    assertThat(m.givenNames()).isEqualTo(id.givenNames());
                } else {
                    misses.add(f + " " + deg.name() + " " + d.mrzStatus());
                }
            }
        }
        assertThat((double) valid / total).as("missed: " + misses).isGreaterThanOrEqualTo(0.9);
    }

    @Test
    void aZoneWhoseChecksFailIsReportedAsSuch() {
        Random rnd = new Random(5);
        SyntheticDocuments.Identity id = SyntheticDocuments.randomIdentity(rnd, MrzFormat.TD3);
        // Forge the birth date without updating its check digit.
        String l2 = id.lines().get(1);
        char d = l2.charAt(18);
        String forged = l2.substring(0, 18) + (char) (d == '9' ? '1' : d + 1) + l2.substring(19);
        SyntheticDocuments.Identity tampered = new SyntheticDocuments.Identity(id.format(), id.type(), id.state(),
                id.surname(), id.givenNames(), id.number(), id.nationality(), id.birth(), id.sex(), id.expiry(),
                id.optional(), List.of(id.lines().get(0), forged));
        DocumentReading r = reader.read(SyntheticDocuments.render(tampered, null, rnd));
        assertThat(r.mrzStatus()).isEqualTo(MrzStatus.CHECKS_FAILED);
        assertThat(r.mrz().orElseThrow().failedChecks()).contains("birthDate");
    }

    @Test
    void readsTheIssueDatePrintedOnTheSpecimen() {
        long t0 = System.nanoTime();
        assertThat(reader.readIssueDate(TestVision.resource("passport-td3-specimen.png")))
                .contains(LocalDate.of(2007, 4, 16));
        System.out.println("issue date read in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        assertThat(reader.readIssueDate(TestVision.resource("astronaut.png"))).isEmpty();
    }

    @Test
    void printedDatesAreParsedInCommonForms() {
        LocalDate today = LocalDate.of(2026, 11, 22);
        assertThat(PrintedFieldReader.firstDate("\n16 APR/AVR 07  PASSPORT OFFICE", today)).contains(LocalDate.of(2007, 4, 16));
        assertThat(PrintedFieldReader.firstDate(" 03.05.2019 ", today)).contains(LocalDate.of(2019, 5, 3));
        assertThat(PrintedFieldReader.firstDate(" 2019-05-03 ", today)).contains(LocalDate.of(2019, 5, 3));
        assertThat(PrintedFieldReader.firstDate("no date here", today)).isEmpty();
        assertThat(PrintedFieldReader.firstDate("01 JAN 2099", today)).isEmpty();
    }

    @Test
    void aPhotoWithoutMrzHasNone() {
        DocumentReading r = reader.read(TestVision.resource("astronaut.png"));
        assertThat(r.mrzStatus()).isEqualTo(MrzStatus.NOT_FOUND);
        assertThat(r.mrz()).isEmpty();
    }

    @Test
    void intakeRefusalsReachTheCaller() {
        assertThatThrownBy(() -> reader.read("not an image".getBytes()))
                .isInstanceOfSatisfying(ImageRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(ImageRejection.NOT_AN_IMAGE));
    }
}
