package org.openkyc.server.screening;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;

/** The PDF report read back with PDFBox text extraction. */
class AmlReportRendererTest {

    private static final AmlReportRenderer RENDERER = new AmlReportRenderer(AmlReportRenderer.DEFAULT_FONTS);

    private static ScreeningRecord record(ScreeningQuery q) {
        ScreeningOutcome o = SampleLists.screener().screen(q);
        return new ScreeningRecord("r3s0urce1d", Optional.of("case0001"), q, o.normalizedNames(), o.lists(),
                o.candidates(), o.decision(), o.threshold(), o.reviewFloor(), Instant.parse("2026-01-02T03:04:05Z"));
    }

    private static String text(byte[] pdf) throws Exception {
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            return new PDFTextStripper().getText(doc);
        }
    }

    @Test
    void theFontsAreInstalled() {
        assertThat(RENDERER.fontCount()).as("run setup/20-fonts.sh (fonts-noto-core, fonts-nanum)").isEqualTo(3);
    }

    @Test
    void aHangulHitNamesPersonListsCandidatesDecisionAndTime() throws Exception {
        ScreeningQuery q = new ScreeningQuery(EntityKind.PERSON, List.of("김정은", "Kim Jong-un"),
                BirthDate.parseIso("1984-01-08"), Optional.of("PRK"));
        byte[] pdf = RENDERER.render(record(q), "AML-TESTREPORT1", Instant.parse("2026-01-02T03:05:00Z"));
        assertThat(new String(pdf, 0, 5, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("%PDF-");
        String t = text(pdf);
        assertThat(t).contains("AML screening report")
                .contains("Report id: AML-TESTREPORT1")
                .contains("Screening (resourceId): r3s0urce1d")
                .contains("Case (submission): case0001")
                .contains("Screened at: 2026-01-02T03:04:05Z")
                .contains("Decision: HIT")
                .contains("Name: 김정은")
                .contains("Alias: Kim Jong-un")
                .contains("Date of birth: 1984-01-08")
                .contains("Nationality: PRK")
                .contains("OFAC SDN: 7379 entries").contains("UN Consolidated: 1003 entries")
                .contains("US CSL: 115 entries")
                .contains("KIM, Jong Un")
                .contains("name 0.9")
                .contains("vs '김정은'");
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            List<String> fonts = new java.util.ArrayList<>();
            for (var page : doc.getPages()) {
                for (var name : page.getResources().getFontNames()) {
                    PDFont f = page.getResources().getFont(name);
                    fonts.add(f.getName());
                    assertThat(f.isEmbedded()).isTrue();
                }
            }
            assertThat(fonts).anyMatch(n -> n.contains("NanumGothic")).anyMatch(n -> n.contains("NotoSans"));
        }
    }

    @Test
    void thaiAndLatinNamesPrintAsWrittenAndAClearScreeningSaysSo() throws Exception {
        ScreeningQuery q = new ScreeningQuery(EntityKind.PERSON, List.of("สมชาย ใจดี", "Somchai Jaidee", "Zoë Ærøskøbing"),
                Optional.empty(), Optional.empty());
        ScreeningRecord r = record(q);
        assertThat(r.decision()).isEqualTo(Decision.CLEAR);
        String t = text(RENDERER.render(r, "AML-TESTREPORT2", Instant.now()));
        assertThat(t).contains("สมชาย ใจดี").contains("Somchai Jaidee").contains("Zoë Ærøskøbing")
                .contains("Decision: CLEAR").contains("Candidates (0)")
                .contains("No listed name scored at or above the review floor.");
    }

    @Test
    void withoutFontsLatinStillPrints() throws Exception {
        AmlReportRenderer bare = new AmlReportRenderer(List.of(Path.of("/nonexistent/font.ttf")));
        assertThat(bare.fontCount()).isZero();
        ScreeningQuery q = ScreeningQuery.person("Arkady Rotenberg");
        String t = text(bare.render(record(q), "AML-TESTREPORT3", Instant.now()));
        assertThat(t).contains("ROTENBERG, Arkady").contains("Decision: HIT");
    }

    @Test
    void manyCandidatesFlowOntoMorePages() throws Exception {
        ScreeningQuery q = new ScreeningQuery(EntityKind.UNKNOWN, List.of("Kim", "Mohammed Ali", "Ahmed Hassan",
                "Wang Wei"), Optional.empty(), Optional.empty());
        ScreeningRecord r = record(q);
        byte[] pdf = RENDERER.render(r, "AML-TESTREPORT4", Instant.now());
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            assertThat(doc.getNumberOfPages()).isGreaterThan(1);
        }
        String t = text(pdf);
        assertThat(t).contains("Candidates (" + r.candidates().size() + ")");
        assertThat(t).contains(r.candidates().get(r.candidates().size() - 1).listedName().split(" ")[0]);
    }
}
