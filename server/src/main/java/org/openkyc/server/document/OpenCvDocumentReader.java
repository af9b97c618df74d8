package org.openkyc.server.document;

import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.THRESH_BINARY;
import static org.bytedeco.opencv.global.opencv_imgproc.THRESH_OTSU;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.bytedeco.opencv.global.opencv_imgproc.threshold;

import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.openkyc.server.config.VisionConfig;

/**
 * The document reader on OpenCV and Tesseract: {@link ImageIntake}, then
 * {@link DocumentQuality} (which also cuts the document out of the frame), then
 * {@link MrzLocator} and Tesseract per line with the OCR-B model, then
 * {@link MrzParser}. Small images are enlarged (2x or 3x, bicubic) before the zone
 * is searched. When the located lines do not give a zone whose checks hold, the
 * whole frame, then the image turned a quarter or half turn and levelled from its
 * print's skew ({@link DocumentGeometry}), then a block read of the page's lower
 * part are tried, stopping at the first zone whose checks hold; otherwise the
 * best reading wins (valid first, then fewest failed checks) and is reported as
 * failing its checks, never as read.
 *
 * <p>Thread-safe: Tesseract engines are pooled (one per core at most), loaded
 * once and reused.
 */
public final class OpenCvDocumentReader implements DocumentReader {

    /** The block read of a page's lower part works on at most this width (and half as much height). */
    static final int BLOCK_WIDTH = 1000;

    private final ImageIntake intake;
    private final DocumentQuality quality = new DocumentQuality();
    private final MrzLocator locator = new MrzLocator();
    private final TesseractPool tesseract;
    private final Clock clock;
    private final java.nio.file.Path tessdata;
    private final double nameMinConfidence;
    private PrintedFieldReader printed;  // created on first use

    public OpenCvDocumentReader(VisionConfig config, Clock clock) {
        this.intake = new ImageIntake(config);
        this.tesseract = new TesseractPool(config.tessdataDir(), config.mrzLanguage(),
                Math.max(1, Runtime.getRuntime().availableProcessors()));
        this.clock = clock;
        this.tessdata = config.tessdataDir();
        this.nameMinConfidence = config.mrzNameMinConfidence();
    }

    /**
     * Reads the date of issue printed outside the machine-readable zone, where a
     * "date of issue" label is found (English or French). A whole-page OCR with the
     * generic model: about ten times slower than {@link #read(byte[])}, so it is a
     * separate call.
     */
    @Override
    public Optional<java.time.LocalDate> readIssueDate(byte[] image) {
        return readIssueDate(image, Optional.empty());
    }

    @Override
    public Optional<LocalDate> readIssueDate(byte[] image, Optional<LocalDate> expiry) {
        try (IntakeImage img = intake.decode(image); DocumentQuality.Assessment a = quality.assess(img.bgr())) {
            return printedFields().issueDate(a.document(), LocalDate.now(clock), expiry);
        }
    }

    private synchronized PrintedFieldReader printedFields() {
        if (printed == null) {
            printed = new PrintedFieldReader(tessdata);
        }
        return printed;
    }

    /** The OCR model in use (ocrb_int, or eng when the OCR-B model is absent). */
    public String ocrModel() {
        return tesseract.language();
    }

    @Override
    public DocumentReading read(byte[] image) {
        try (IntakeImage img = intake.decode(image)) {
            return read(img);
        }
    }

    /** Reads an already decoded image (the caller keeps ownership). */
    public DocumentReading read(IntakeImage img) {
        try (DocumentQuality.Assessment a = quality.assess(img.bgr())) {
            Found found = readMrz(a.document(), a.outlineFound() ? img.bgr() : null);
            MrzResult mrz = found.result;
            MrzStatus status = mrz == null ? MrzStatus.NOT_FOUND
                    : mrz.valid() ? MrzStatus.VALID : MrzStatus.CHECKS_FAILED;
            QualityReport report = found.charHeight > 0 ? quality.withMrzCharHeight(a.report(), found.charHeight)
                    : a.report();
            if (mrz != null && (report.issues().contains(QualityIssue.GLARE)
                    || report.issues().contains(QualityIssue.BLURRY))) {
                mrz = namesUnsure(mrz);
            }
            return new DocumentReading(img.format(), img.width(), img.height(), report, status,
                    Optional.ofNullable(mrz), tesseract.language());
        }
    }

    /**
     * Names carry no check digit: on an image with a reflection or blur, letters can change while every
     * check holds, so the names go to a reviewer rather than being presented as read.
     */
    private static MrzResult namesUnsure(MrzResult m) {
        java.util.Set<String> unsure = new java.util.HashSet<>(m.unsure());
        unsure.add(MrzResult.SURNAME);
        unsure.add(MrzResult.GIVEN_NAMES);
        return new MrzResult(m.format(), m.lines(), m.documentType(), m.issuingState(), m.surname(), m.givenNames(),
                m.documentNumber(), m.nationality(), m.birthDate(), m.sex(), m.expiryDate(), m.optionalData(),
                m.checks(), m.repairs(), m.confidence(), unsure);
    }

    /** The best reading so far and the height of its characters in the upload's pixels (0: not measured). */
    private static final class Found {
        MrzResult result;
        double charHeight;

        boolean valid() {
            return result != null && result.valid();
        }

        void offer(MrzResult r, double height) {
            MrzResult b = better(result, r);
            if (b != result && b != null) {
                result = b;
                charHeight = height;
            }
        }
    }

    /**
     * The cheap path first: the lines located in the document as found (or the frame), level or slightly
     * skewed, and in the whole frame when a cut-out was made. Only when no zone holds, the geometry: the
     * way the lines of print run (a quarter turn or not), then upright and upside down, each levelled
     * from the print's own skew. Last, the slowest: a block read of the lower part of a landscape page,
     * shrunk to a working box. Stops at the first zone whose checks hold.
     */
    private Found readMrz(Mat document, Mat wholeFrame) {
        MrzParser parser = new MrzParser(LocalDate.now(clock), nameMinConfidence);
        Found found = new Found();
        List<Mat> sources = wholeFrame == null ? List.of(document) : List.of(document, wholeFrame);
        for (Mat source : sources) {
            try (Mat grey = new Mat()) {
                cvtColor(source, grey, COLOR_BGR2GRAY);
                int f = DocumentGeometry.upscaleFactor(grey.cols(), grey.rows());
                try (Mat big = DocumentGeometry.upscale(grey, f)) {
                    fromLines(parser, big, f, found);
                    if (found.valid()) {
                        return found;
                    }
                }
            }
        }
        try (Mat grey = new Mat()) {
            cvtColor(document, grey, COLOR_BGR2GRAY);
            if (fromTurns(parser, grey, found)) {
                return found;
            }
        }
        for (Mat source : sources) {
            if (source.rows() > source.cols()) {
                // A page standing upright (an A4 flatbed scan, a portrait photo): its lower part is not
                // where a zone is, and reading it as a block costs seconds.
                continue;
            }
            try (Mat grey = new Mat()) {
                cvtColor(source, grey, COLOR_BGR2GRAY);
                found.offer(fromBlock(parser, grey), 0);
                if (found.valid()) {
                    return found;
                }
            }
        }
        return found;
    }

    /**
     * Reads the lines after turning the image so that its print runs across (upright, then upside down)
     * and levelling the remaining skew. True when a zone whose checks hold was read.
     */
    private boolean fromTurns(MrzParser parser, Mat grey, Found found) {
        int f = DocumentGeometry.upscaleFactor(grey.cols(), grey.rows());
        DocumentGeometry.Direction direction = DocumentGeometry.direction(grey);
        boolean vertical = direction.vertical();
        int[] turns = vertical ? new int[] {1, 3} : new int[] {0, 2};
        try (Mat big = DocumentGeometry.upscale(grey, f)) {
            for (int t : turns) {
                // Measured once for both turns of a direction, by the sweep that found the direction.
                double angle = direction.skewAfter(t);
                if (t == 0 && Math.abs(angle) < 2) {
                    continue;  // the cheap path read it as it is
                }
                try (Mat bigTurned = DocumentGeometry.turn(big, t);
                        Mat level = Math.abs(angle) < 0.5 ? bigTurned.clone()
                                : DocumentGeometry.rotateLevel(bigTurned, angle)) {
                    fromLines(parser, level, f, found);
                    if (found.valid()) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** Reads the located lines of an image enlarged {@code factor} times. */
    private void fromLines(MrzParser parser, Mat grey, int factor, Found found) {
        MrzLocator.Located located = locator.find(grey);
        if (located.lines().size() < 2) {
            located.lines().forEach(Mat::close);
            located = locator.find(grey, true);
        }
        List<Mat> lines = located.lines();
        try {
            if (lines.size() < 2) {
                return;
            }
            List<String> text = new ArrayList<>();
            List<double[]> conf = new ArrayList<>();
            for (Mat line : lines) {
                OcrLine l = tesseract.readLine(line);
                text.add(l.text());
                conf.add(l.confidence());
            }
            MrzResult r = parse(parser, text, conf);
            if (r != null && r.valid()) {
                r = confirmNames(parser, r, text, conf, lines.get(r.format() == MrzFormat.TD1 ? 2 : 0));
            }
            found.offer(r, located.charHeight() / factor);
        } finally {
            lines.forEach(Mat::close);
        }
    }

    /**
     * Names carry no check digit, and a letter changed by blur can be read with full confidence (BO as RO):
     * the names' line is read a second time, binarised (Otsu), and a name the two readings disagree on is
     * unsure. One more line of OCR, only for a zone whose checks hold and whose names are not unsure yet.
     */
    MrzResult confirmNames(MrzParser parser, MrzResult first, List<String> text, List<double[]> conf, Mat namesLine) {
        if (!first.sure(MrzResult.SURNAME) && !first.sure(MrzResult.GIVEN_NAMES)) {
            return first;
        }
        OcrLine again;
        try (Mat bin = new Mat()) {
            threshold(namesLine, bin, 0, 255, THRESH_BINARY | THRESH_OTSU);
            again = tesseract.readLine(bin);
        }
        int index = first.format() == MrzFormat.TD1 ? 2 : 0;
        List<String> text2 = new ArrayList<>(text);
        text2.set(index, again.text());
        List<double[]> conf2 = new ArrayList<>(conf);
        conf2.set(index, again.confidence());
        return MrzParser.withNamesConfirmedBy(first, parse(parser, text2, conf2));
    }

    /** Reads the lower 40 % of the page as one block and keeps the lines that look like MRZ. */
    private MrzResult fromBlock(MrzParser parser, Mat grey) {
        int y0 = (int) (grey.rows() * 0.6);
        // The slowest attempt: its input is bounded to a working box (zone characters stay readable).
        WorkingSize work = WorkingSize.shrinkToFit(grey.cols(), grey.rows() - y0, BLOCK_WIDTH, BLOCK_WIDTH / 2);
        try (Mat roi = new Mat(grey, new Rect(0, y0, grey.cols(), grey.rows() - y0)); Mat copy = new Mat()) {
            if (work.scale() < 1) {
                resize(roi, copy, work.size(), 0, 0, INTER_AREA);
            } else {
                roi.copyTo(copy);
            }
            List<OcrLine> lines = tesseract.readBlock(copy);
            List<String> text = new ArrayList<>();
            List<double[]> conf = new ArrayList<>();
            for (OcrLine l : lines) {
                String t = l.text().replace(" ", "").replace("\n", "");
                if (t.length() >= 26 && t.chars().filter(c -> c == '<').count() >= 2) {
                    text.add(l.text().replace("\n", ""));
                    conf.add(l.confidence());
                }
            }
            if (text.size() > 3) {
                text = text.subList(text.size() - 3, text.size());
                conf = conf.subList(conf.size() - 3, conf.size());
            }
            return text.size() < 2 ? null : parse(parser, text, conf);
        }
    }

    private static MrzResult parse(MrzParser parser, List<String> text, List<double[]> conf) {
        try {
            return parser.parse(text, conf);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static MrzResult better(MrzResult a, MrzResult b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        if (a.valid() != b.valid()) {
            return a.valid() ? a : b;
        }
        return b.failedChecks().size() < a.failedChecks().size() ? b : a;
    }

    @Override
    public void close() {
        tesseract.close();
        synchronized (this) {
            if (printed != null) {
                printed.close();
            }
        }
    }
}
