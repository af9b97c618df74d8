package org.openkyc.server.kyc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.openkyc.server.document.DocumentReading;
import org.openkyc.server.document.ImageFormat;
import org.openkyc.server.document.MrzFormat;
import org.openkyc.server.document.MrzResult;
import org.openkyc.server.document.MrzStatus;
import org.openkyc.server.document.QualityIssue;
import org.openkyc.server.document.QualityReport;

/** The rules of the document journey that need no database: fields read, edits detected, ids. */
class DocumentServiceTest {

    private static MrzResult zone(String optional, String state) {
        return new MrzResult(MrzFormat.TD3, List.of("P<UTO...", "L898902C3..."), "P", state, "ERIKSSON",
                "ANNA MARIA", "L898902C3", "UTO", LocalDate.of(1974, 8, 12), "F", LocalDate.of(2032, 4, 15),
                optional, Map.of("documentNumber", true), 0, Map.of());
    }

    private static DocumentReading reading(MrzStatus status, Optional<MrzResult> mrz, List<QualityIssue> issues) {
        return new DocumentReading(ImageFormat.PNG, 1200, 800,
                new QualityReport(Map.of("sharpness", 88.4, "exposure", 97.0, "glare", 100.0, "resolution", 100.0,
                        "document", issues.contains(QualityIssue.NO_DOCUMENT) ? 0.0 : 100.0), Map.of(), Map.of(),
                        issues),
                status, mrz, "ocrb_int");
    }

    @Test
    void fieldsComeOnlyFromAZoneWhoseChecksHold() {
        DocumentFields f = DocumentService.ocrFields(reading(MrzStatus.VALID, Optional.of(zone("", "D")), List.of()));
        assertThat(f.name()).contains("ANNA MARIA ERIKSSON");
        assertThat(f.docNumber()).contains("L898902C3");
        assertThat(f.idNumber()).as("no personal number: the document number").contains("L898902C3");
        assertThat(f.issuer()).contains("DEU");
        assertThat(f.expiryDate()).contains(LocalDate.of(2032, 4, 15));
        assertThat(f.gender()).contains("female");
        assertThat(DocumentService.ocrFields(reading(MrzStatus.VALID, Optional.of(zone("ZE184226B", "UTO")), List.of()))
                .idNumber()).contains("ZE184226B");
        assertThat(DocumentService.ocrFields(reading(MrzStatus.CHECKS_FAILED, Optional.of(zone("", "UTO")),
                List.of()))).isEqualTo(DocumentFields.NONE);
        assertThat(DocumentService.ocrFields(reading(MrzStatus.NOT_FOUND, Optional.empty(), List.of())))
                .isEqualTo(DocumentFields.NONE);
    }

    @Test
    void aDocumentIsFoundByItsOutlineOrByItsZone() {
        assertThat(DocumentService.quality(reading(MrzStatus.NOT_FOUND, Optional.empty(),
                List.of(QualityIssue.NO_DOCUMENT))).documentFound()).isFalse();
        assertThat(DocumentService.quality(reading(MrzStatus.VALID, Optional.of(zone("", "UTO")),
                List.of(QualityIssue.NO_DOCUMENT))).documentFound()).isTrue();
        DocumentService.Quality q = DocumentService.quality(reading(MrzStatus.NOT_FOUND, Optional.empty(), List.of()));
        assertThat(q.documentFound()).isTrue();
        assertThat(q.score("sharpness")).hasValue(88.0);
        assertThat(q.score("nothing")).isEmpty();
    }

    @Test
    void editsAreDetectedWhateverTheClientSays() {
        DocumentFields ocr = DocumentService.ocrFields(reading(MrzStatus.VALID, Optional.of(zone("", "UTO")), List.of()));
        assertThat(DocumentService.differs(ocr, ocr)).isFalse();
        // Case and spacing of text are not edits.
        assertThat(DocumentService.differs(ocr, new DocumentFields(Optional.of(" anna  maria eriksson "), ocr.idNumber(),
                ocr.birthDate(), ocr.expiryDate(), ocr.issuer(), ocr.nationality(), ocr.gender(), ocr.docNumber())))
                .isFalse();
        assertThat(DocumentService.differs(ocr, new DocumentFields(Optional.of("ANNA ERIKSSON"), ocr.idNumber(),
                ocr.birthDate(), ocr.expiryDate(), ocr.issuer(), ocr.nationality(), ocr.gender(), ocr.docNumber())))
                .isTrue();
        assertThat(DocumentService.differs(ocr, new DocumentFields(ocr.name(), ocr.idNumber(),
                Optional.of(LocalDate.of(1974, 8, 13)), ocr.expiryDate(), ocr.issuer(), ocr.nationality(),
                ocr.gender(), ocr.docNumber()))).isTrue();
        // A value OCR could not read is the user's, not the document's.
        assertThat(DocumentService.differs(DocumentFields.NONE, new DocumentFields(Optional.of("A B"), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty()))).isTrue();
    }

    @Test
    void fieldsRoundTripThroughTheirStoredFormAndMaskNumbers() {
        DocumentFields ocr = DocumentService.ocrFields(reading(MrzStatus.VALID, Optional.of(zone("ZE184226B", "UTO")),
                List.of()));
        assertThat(DocumentFields.fromJson(ocr.toJson())).isEqualTo(ocr);
        assertThat(DocumentFields.fromJson(DocumentFields.NONE.toJson())).isEqualTo(DocumentFields.NONE);
        DocumentFields masked = ocr.masked();
        assertThat(masked.docNumber()).contains("L89******");
        assertThat(masked.idNumber()).contains("ZE1******");
        assertThat(masked.name()).isEqualTo(ocr.name());
    }

    @Test
    void documentIdsAreRandomAndFitAJsonNumber() {
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            long id = DocumentService.newDocumentId();
            assertThat(id).isGreaterThanOrEqualTo(1L << 32).isLessThanOrEqualTo(DocumentService.MAX_DOCUMENT_ID);
            seen.add(id);
        }
        assertThat(seen).hasSize(10_000);
    }
}
