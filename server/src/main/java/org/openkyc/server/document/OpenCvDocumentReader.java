package org.openkyc.server.document;

import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;

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
 * {@link MrzParser}. When the located lines do not give a zone whose checks hold,
 * the whole frame and a block read of the page's lower part are tried too, and
 * the best reading wins (valid first, then fewest failed checks).
 *
 * <p>Thread-safe: Tesseract engines are pooled (one per core at most), loaded
 * once and reused.
 */
public final class OpenCvDocumentReader implements DocumentReader {

    private final ImageIntake intake;
    private final DocumentQuality quality = new DocumentQuality();
    private final MrzLocator locator = new MrzLocator();
    private final TesseractPool tesseract;
    private final Clock clock;
    private final java.nio.file.Path tessdata;
    private PrintedFieldReader printed;  // created on first use

    public OpenCvDocumentReader(VisionConfig config, Clock clock) {
        this.intake = new ImageIntake(config);
        this.tesseract = new TesseractPool(config.tessdataDir(), config.mrzLanguage(),
                Math.max(1, Runtime.getRuntime().availableProcessors()));
        this.clock = clock;
        this.tessdata = config.tessdataDir();
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
            MrzResult mrz = readMrz(a.document(), a.outlineFound() ? img.bgr() : null);
            MrzStatus status = mrz == null ? MrzStatus.NOT_FOUND
                    : mrz.valid() ? MrzStatus.VALID : MrzStatus.CHECKS_FAILED;
            return new DocumentReading(img.format(), img.width(), img.height(), a.report(), status,
                    Optional.ofNullable(mrz), tesseract.language());
        }
    }

    private MrzResult readMrz(Mat document, Mat wholeFrame) {
        MrzParser parser = new MrzParser(LocalDate.now(clock));
        MrzResult best = null;
        for (Mat source : wholeFrame == null ? List.of(document) : List.of(document, wholeFrame)) {
            try (Mat grey = new Mat()) {
                cvtColor(source, grey, COLOR_BGR2GRAY);
                best = better(best, fromLines(parser, grey));
                if (best != null && best.valid()) {
                    return best;
                }
                best = better(best, fromBlock(parser, grey));
                if (best != null && best.valid()) {
                    return best;
                }
            }
        }
        return best;
    }

    private MrzResult fromLines(MrzParser parser, Mat grey) {
        List<Mat> lines = locator.locate(grey);
        try {
            if (lines.size() < 2) {
                return null;
            }
            List<String> text = new ArrayList<>();
            List<double[]> conf = new ArrayList<>();
            for (Mat line : lines) {
                OcrLine l = tesseract.readLine(line);
                text.add(l.text());
                conf.add(l.confidence());
            }
            return parse(parser, text, conf);
        } finally {
            lines.forEach(Mat::close);
        }
    }

    /** Reads the lower 40 % of the page as one block and keeps the lines that look like MRZ. */
    private MrzResult fromBlock(MrzParser parser, Mat grey) {
        int y0 = (int) (grey.rows() * 0.6);
        try (Mat roi = new Mat(grey, new Rect(0, y0, grey.cols(), grey.rows() - y0)); Mat copy = roi.clone()) {
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
