package org.openkyc.server.document;

import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_CUBIC;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.bytedeco.tesseract.global.tesseract.OEM_LSTM_ONLY;
import static org.bytedeco.tesseract.global.tesseract.PSM_AUTO;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.tesseract.TessBaseAPI;

/**
 * Reads printed fields outside the machine-readable zone, today the date of issue:
 * the page above the zone is read with the generic {@code eng} model and the first
 * date after a "date of issue" label (English or French) is taken. Slower than the
 * MRZ (a whole-page read), so it is a separate call. One engine, used under a lock.
 */
final class PrintedFieldReader implements AutoCloseable {

    /** The page is read fitted into {@code OCR_WIDTH x OCR_MAX_HEIGHT} (a page up to twice as tall as wide at full width). */
    static final int OCR_WIDTH = 1600;
    static final int OCR_MAX_HEIGHT = 2 * OCR_WIDTH;
    private static final Pattern LABEL = Pattern.compile(
            "(date\\s*of\\s*issue|issue\\s*date|date\\s*de\\s*d[ée]livrance|issued)", Pattern.CASE_INSENSITIVE);
    private static final Pattern TEXT_DATE = Pattern.compile(
            "\\b(\\d{1,2})\\s*[ ./-]?\\s*([A-Za-z]{3,9})(?:\\s*/\\s*[A-Za-z]{3,9})?\\s*[ ./-]?\\s*(\\d{4}|\\d{2})\\b");
    private static final Pattern NUM_DATE = Pattern.compile("\\b(\\d{1,2})[./-](\\d{1,2})[./-](\\d{4}|\\d{2})\\b");
    private static final Pattern ISO_DATE = Pattern.compile("\\b(\\d{4})-(\\d{2})-(\\d{2})\\b");
    private static final Map<String, Integer> MONTHS = Map.ofEntries(
            Map.entry("JAN", 1), Map.entry("FEB", 2), Map.entry("FEV", 2), Map.entry("MAR", 3), Map.entry("APR", 4),
            Map.entry("AVR", 4), Map.entry("MAY", 5), Map.entry("MAI", 5), Map.entry("JUN", 6), Map.entry("JUIN", 6),
            Map.entry("JUL", 7), Map.entry("JUIL", 7), Map.entry("AUG", 8), Map.entry("AOU", 8), Map.entry("SEP", 9),
            Map.entry("OCT", 10), Map.entry("NOV", 11), Map.entry("DEC", 12));

    private final TessBaseAPI api;

    PrintedFieldReader(Path tessdata) {
        if (!Files.isRegularFile(tessdata.resolve("eng.traineddata"))) {
            throw new IllegalStateException("eng.traineddata missing in " + tessdata + " (run bin/setup)");
        }
        api = new TessBaseAPI();
        if (api.Init(tessdata.toString(), "eng", OEM_LSTM_ONLY) != 0) {
            throw new IllegalStateException("Tesseract could not load eng from " + tessdata);
        }
    }

    /** The date of issue printed on the page (BGR, upright, cut to the document), if found. */
    Optional<LocalDate> issueDate(Mat document, LocalDate today) {
        String text = read(document);
        Matcher label = LABEL.matcher(text);
        if (!label.find()) {
            return Optional.empty();
        }
        String after = text.substring(label.end());
        return firstDate(after, today);
    }

    private String read(Mat document) {
        try (Mat grey = new Mat(); Mat scaled = new Mat()) {
            cvtColor(document, grey, COLOR_BGR2GRAY);
            WorkingSize work = WorkingSize.fit(grey.cols(), grey.rows(), OCR_WIDTH, OCR_MAX_HEIGHT);
            double f = work.scale();
            resize(grey, scaled, work.size(), 0, 0, f < 1 ? INTER_AREA : INTER_CUBIC);
            synchronized (api) {
                api.SetPageSegMode(PSM_AUTO);
                api.SetImage(scaled.data(), scaled.cols(), scaled.rows(), 1, (int) scaled.step());
                BytePointer out = api.GetUTF8Text();
                String s = out == null ? "" : out.getString();
                if (out != null) {
                    out.deallocate();
                }
                api.Clear();
                return s;
            }
        }
    }

    static Optional<LocalDate> firstDate(String text, LocalDate today) {
        int best = Integer.MAX_VALUE;
        LocalDate found = null;
        Matcher m = TEXT_DATE.matcher(text);
        while (m.find()) {
            Integer month = month(m.group(2));
            LocalDate d = month == null ? null : date(m.group(3), month, m.group(1), today);
            if (d != null && m.start() < best) {
                best = m.start();
                found = d;
                break;
            }
        }
        m = NUM_DATE.matcher(text);
        while (m.find() && m.start() < best) {
            LocalDate d = date(m.group(3), Integer.parseInt(m.group(2)), m.group(1), today);
            if (d != null) {
                best = m.start();
                found = d;
                break;
            }
        }
        m = ISO_DATE.matcher(text);
        while (m.find() && m.start() < best) {
            try {
                found = LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
                break;
            } catch (DateTimeException e) {
                // not a date
            }
        }
        return Optional.ofNullable(found).filter(d -> !d.isAfter(today));
    }

    private static Integer month(String word) {
        String w = word.toUpperCase(Locale.ROOT);
        Integer m = MONTHS.get(w.length() > 4 ? w.substring(0, 4) : w);
        return m != null ? m : MONTHS.get(w.substring(0, 3));
    }

    private static LocalDate date(String year, int month, String day, LocalDate today) {
        int y = Integer.parseInt(year);
        if (year.length() == 2) {
            y += y <= today.getYear() % 100 ? 2000 : 1900;
        }
        try {
            return LocalDate.of(y, month, Integer.parseInt(day));
        } catch (DateTimeException e) {
            return null;
        }
    }

    @Override
    public void close() {
        synchronized (api) {
            api.End();
            api.close();
        }
    }
}
