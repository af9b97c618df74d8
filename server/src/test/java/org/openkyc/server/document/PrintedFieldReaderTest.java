package org.openkyc.server.document;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The printed issue date is read next to its label only, is never the expiry, and is dropped when unsure. */
class PrintedFieldReaderTest {

    private static final LocalDate TODAY = LocalDate.of(2026, 11, 22);
    private static final Optional<LocalDate> EXPIRY = Optional.of(LocalDate.of(2030, 5, 3));

    private static Optional<LocalDate> read(String text, Optional<LocalDate> expiry) {
        return PrintedFieldReader.issueDate(text, TODAY, expiry);
    }

    @Test
    void theIssueDateIsReadOnlyNextToItsLabelAndNeverEqualsTheExpiry() {
        assertThat(read("Date of issue / Date de delivrance\n 04 MAY /MAI 2020\nAuthority HMPO", EXPIRY))
                .contains(LocalDate.of(2020, 5, 4));
        assertThat(read("Date of issue 04.05.2020 Date of expiry 03.05.2030", EXPIRY))
                .contains(LocalDate.of(2020, 5, 4));
        // The label's value is the expiry (a misread layout): never answered as the issue date.
        assertThat(read("Date of issue\n03 MAY 2030", EXPIRY)).isEmpty();
        // Only the expiry follows the label: the expiry is not taken for the issue date.
        assertThat(read("Date of issue      Date of expiry\n                   03.05.2030", EXPIRY)).isEmpty();
        // A date far below the label belongs to another field.
        assertThat(read("Date of issue\nAuthority\nPASSPORT OFFICE\nSurname\nERIKSSON\n12 JAN 2021", EXPIRY))
                .isEmpty();
    }

    @Test
    void aDatePrintedNowhereIsNeverAnswered() {
        assertThat(read("Date of birth 12 AUG 1974\nDate of expiry 03 MAY 2030", EXPIRY)).isEmpty();
        assertThat(read("12 JAN 2021 PASSPORT", EXPIRY)).isEmpty();
        assertThat(read("", Optional.empty())).isEmpty();
    }

    @Test
    void anUnsureIssueDateIsDropped() {
        // Two labels, two dates.
        assertThat(read("Date of issue 04.05.2020\nIssued 05.06.2021", EXPIRY)).isEmpty();
        // In the future, or more than a document's validity before the expiry.
        assertThat(read("Date of issue 04.05.2027", Optional.empty())).isEmpty();
        assertThat(read("Date of issue 04.05.2001", EXPIRY)).isEmpty();
        // A two-digit year takes the one century that fits.
        assertThat(read("Date of issue\n16 APR/AVR 07", Optional.of(LocalDate.of(2017, 4, 15))))
                .contains(LocalDate.of(2007, 4, 16));
    }
}
