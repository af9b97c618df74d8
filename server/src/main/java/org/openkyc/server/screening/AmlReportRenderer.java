package org.openkyc.server.screening;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.fontbox.ttf.TTFParser;
import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.fontbox.ttf.CmapLookup;
import org.apache.pdfbox.io.RandomAccessReadBuffer;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renders a screening as a PDF report with Apache PDFBox: the subject, the
 * lists and their versions, every candidate with its score and the reasons,
 * the decision, the time and a report id. TrueType fonts given in order
 * (Latin, Hangul, Thai by default) are embedded as subsets; each character is
 * set in the first font that has it, so names in Hangul, Thai and Latin print
 * as written. Without any font file, Helvetica prints what WinAnsi can encode.
 */
public final class AmlReportRenderer {

    private static final Logger log = LoggerFactory.getLogger(AmlReportRenderer.class);

    /** The fonts a Debian machine has after setup/20-fonts.sh (fonts-noto-core, fonts-nanum). */
    public static final List<Path> DEFAULT_FONTS = List.of(
            Path.of("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf"),
            Path.of("/usr/share/fonts/truetype/nanum/NanumGothic.ttf"),
            Path.of("/usr/share/fonts/truetype/noto/NotoSansThai-Regular.ttf"));

    private static final float MARGIN = 50;
    private static final float SIZE = 9.5f;
    private static final float TITLE_SIZE = 16;
    private static final float LEADING = 13.5f;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ISO_INSTANT;

    private final List<FontFile> fonts;

    /** One font file: its bytes (embedded per report) and its character map (read once). */
    private record FontFile(String name, byte[] bytes, CmapLookup cmap) {
        boolean has(int codePoint) {
            return cmap.getGlyphId(codePoint) != 0;
        }
    }

    public AmlReportRenderer(List<Path> fontFiles) {
        List<FontFile> loaded = new ArrayList<>();
        for (Path p : fontFiles) {
            if (!Files.isRegularFile(p)) {
                log.warn("report font missing, names in its script will print as '?': {}", p);
                continue;
            }
            try {
                byte[] bytes = Files.readAllBytes(p);
                TrueTypeFont ttf = new TTFParser().parse(new RandomAccessReadBuffer(bytes));
                CmapLookup cmap = ttf.getUnicodeCmapLookup();
                loaded.add(new FontFile(p.getFileName().toString(), bytes, cmap));
            } catch (IOException | RuntimeException e) {
                log.warn("report font unusable, skipped: {} ({})", p, e.getClass().getSimpleName());
            }
        }
        this.fonts = List.copyOf(loaded);
    }

    /** How many configured fonts could be loaded. */
    public int fontCount() {
        return fonts.size();
    }

    public byte[] render(ScreeningRecord r, String reportId, Instant generatedAt) {
        try (PDDocument doc = new PDDocument()) {
            PDDocumentInformation info = doc.getDocumentInformation();
            info.setTitle("AML screening report " + reportId);
            info.setProducer("OpenKYC");
            Writer w = new Writer(doc);
            w.line("AML screening report", TITLE_SIZE);
            w.gap();
            w.text("Report id: " + reportId);
            w.text("Generated: " + TIME.format(generatedAt.truncatedTo(ChronoUnit.SECONDS)));
            w.text("Screening (resourceId): " + r.resourceId());
            w.text("Screened at: " + TIME.format(r.screenedAt()));
            r.caseId().ifPresent(c -> w.text("Case (submission): " + c));
            w.gap();
            w.line("Decision: " + r.decision().wireName().toUpperCase(Locale.ROOT), 12);
            w.text(String.format(Locale.ROOT, "Best score %.4f; threshold %.2f (hit), review floor %.2f (pending review).",
                    r.bestScore(), r.threshold(), r.reviewFloor()));
            w.gap();
            w.line("Screened " + (r.query().kind() == EntityKind.ORGANISATION ? "organisation"
                    : r.query().kind() == EntityKind.PERSON ? "person" : "subject"), 12);
            w.text("Name: " + r.query().names().get(0));
            for (String alias : r.query().names().subList(1, r.query().names().size())) {
                w.text("Alias: " + alias);
            }
            w.text("Date of birth: " + r.query().birthDate().map(BirthDate::toString).orElse("not given"));
            w.text("Nationality: " + r.query().nationality().orElse("not given"));
            w.text("Normalised for matching: " + String.join(" | ", r.normalizedNames()));
            w.gap();
            w.line("Lists screened", 12);
            for (ListVersion v : r.lists()) {
                w.text(v.source() + ": " + v.entryCount() + " entries, loaded "
                        + TIME.format(v.loadedAt().truncatedTo(ChronoUnit.SECONDS)) + ", sha256 " + v.sha256());
            }
            w.gap();
            w.line("Candidates (" + r.candidates().size() + ")", 12);
            if (r.candidates().isEmpty()) {
                w.text("No listed name scored at or above the review floor.");
            }
            int n = 0;
            for (Candidate c : r.candidates()) {
                n++;
                w.text(String.format(Locale.ROOT, "%d. %s  (%s %s, %s)  score %.4f", n, c.listedName(), c.source(),
                        c.entryId(), c.kind().name().toLowerCase(Locale.ROOT), c.score()));
                if (!c.matchedName().equals(c.listedName())) {
                    w.text("    matched listed alias: " + c.matchedName());
                }
                for (ScoreFeature f : c.breakdown()) {
                    String value = f.feature().equals("name") ? String.format(Locale.ROOT, "%.4f", f.contribution())
                            : String.format(Locale.ROOT, "%+.2f", f.contribution());
                    w.text("    " + f.feature() + " " + value + ": " + f.explanation());
                }
                if (!c.programs().isEmpty()) {
                    w.text("    programmes: " + String.join(", ", c.programs()));
                }
            }
            w.close();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("report rendering failed", e);
        }
    }

    /** Lays out lines top to bottom, wrapping and starting new pages as needed. */
    private final class Writer {
        private final PDDocument doc;
        private final Map<Integer, PDFont> embedded = new HashMap<>();
        private final PDFont fallback = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
        private PDPageContentStream cs;
        private float y;
        private final float width = PDRectangle.A4.getWidth() - 2 * MARGIN;

        Writer(PDDocument doc) throws IOException {
            this.doc = doc;
            newPage();
        }

        void newPage() throws IOException {
            if (cs != null) {
                cs.close();
            }
            PDPage page = new PDPage(PDRectangle.A4);
            doc.addPage(page);
            cs = new PDPageContentStream(doc, page);
            y = PDRectangle.A4.getHeight() - MARGIN;
        }

        void gap() {
            y -= LEADING / 2;
        }

        void text(String s) {
            line(s, SIZE);
        }

        void line(String s, float size) {
            try {
                for (String l : wrap(s, size)) {
                    if (y < MARGIN + size) {
                        newPage();
                    }
                    y -= size * 1.4f;
                    write(l, size);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void close() throws IOException {
            cs.close();
        }

        /** The font index for a code point: the first configured font that has it, -1 for the fallback. */
        private int fontFor(int cp) {
            for (int i = 0; i < fonts.size(); i++) {
                if (fonts.get(i).has(cp)) {
                    return i;
                }
            }
            return -1;
        }

        private PDFont font(int index) throws IOException {
            if (index < 0) {
                return fallback;
            }
            PDFont f = embedded.get(index);
            if (f == null) {
                f = PDType0Font.load(doc, new ByteArrayInputStream(fonts.get(index).bytes()), true);
                embedded.put(index, f);
            }
            return f;
        }

        /** Splits into runs of one font each; characters no font has become '?'. */
        private List<Object[]> runs(String s) throws IOException {
            List<Object[]> out = new ArrayList<>();
            StringBuilder run = new StringBuilder();
            int current = Integer.MIN_VALUE;
            for (int i = 0; i < s.length(); ) {
                int cp = s.codePointAt(i);
                i += Character.charCount(cp);
                if (Character.isISOControl(cp)) {
                    cp = ' ';
                }
                int f = fontFor(cp);
                if (f < 0 && !encodable(cp)) {
                    cp = '?';
                    f = fontFor(cp);
                }
                if (f != current && run.length() > 0) {
                    out.add(new Object[] {font(current), run.toString()});
                    run.setLength(0);
                }
                current = f;
                run.appendCodePoint(cp);
            }
            if (run.length() > 0) {
                out.add(new Object[] {font(current), run.toString()});
            }
            return out;
        }

        private boolean encodable(int cp) {
            return cp >= 0x20 && cp < 0x7f;
        }

        private float widthOf(String s, float size) throws IOException {
            float w = 0;
            for (Object[] r : runs(s)) {
                w += ((PDFont) r[0]).getStringWidth((String) r[1]) / 1000 * size;
            }
            return w;
        }

        private List<String> wrap(String s, float size) throws IOException {
            List<String> lines = new ArrayList<>();
            String[] words = s.split(" ");
            StringBuilder cur = new StringBuilder();
            for (String word : words) {
                String candidate = cur.length() == 0 ? word : cur + " " + word;
                if (cur.length() > 0 && widthOf(candidate, size) > width) {
                    lines.add(cur.toString());
                    cur = new StringBuilder("    ").append(word);
                } else {
                    cur = new StringBuilder(candidate);
                }
                // A single word wider than the line (a hash, a long name): cut it.
                while (widthOf(cur.toString(), size) > width && cur.length() > 8) {
                    int cut = cur.length() - 1;
                    while (cut > 8 && widthOf(cur.substring(0, cut), size) > width) {
                        cut -= Math.max(1, cut / 10);
                    }
                    lines.add(cur.substring(0, cut));
                    cur = new StringBuilder("    ").append(cur.substring(cut));
                }
            }
            if (cur.length() > 0) {
                lines.add(cur.toString());
            }
            return lines;
        }

        private void write(String s, float size) throws IOException {
            cs.beginText();
            cs.newLineAtOffset(MARGIN, y);
            for (Object[] r : runs(s)) {
                cs.setFont((PDFont) r[0], size);
                cs.showText((String) r[1]);
            }
            cs.endText();
        }
    }
}
