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
import java.util.List;
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
 * the page above the zone is read with the generic {@code eng} model and the date
 * printed next to a "date of issue" label (English or French) is taken: on the
 * label's line or the line below it, before any other date label. A date is
 * answered only when it is certain: never a date found elsewhere on the page,
 * never the expiry date or one after it, never one in the future, a two-digit year
 * only when a single century fits, and nothing when labels disagree. Slower than
 * the MRZ (a whole-page read), so it is a separate call. One engine, used under a lock.
 */
final class PrintedFieldReader implements AutoCloseable {

    /** The page is read fitted into {@code OCR_WIDTH x OCR_MAX_HEIGHT} (a page up to twice as tall as wide at full width). */
    static final int OCR_WIDTH = 1600;
    static final int OCR_MAX_HEIGHT = 2 * OCR_WIDTH;
    private static final Pattern LABEL = Pattern.compile(
            "(date\\s*of\\s*issue|issue\\s*date|date\\s*de\\s*d[ée]livrance|issued)", Pattern.CASE_INSENSITIVE);
    /** Labels of the other dates of a page: the issue date's value never reaches past one. */
    private static final Pattern OTHER_LABEL = Pattern.compile(
            "(expir|birth|naissance|valid|until|jusqu)", Pattern.CASE_INSENSITIVE);
    /** How far after its label a value is looked for, in characters. */
    static final int NEAR_LABEL = 80;
    /** The longest validity of a document, in years: an issue date lies at most this long before the expiry. */
    static final int MAX_VALIDITY_YEARS = 20;
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
        // Diagnostics would go to the process's stderr, outside the logs (see TesseractPool).
        api.SetVariable("debug_file", "/dev/null");
    }

    /** The date of issue printed on the page (BGR, upright, cut to the document), if found and certain. */
    Optional<LocalDate> issueDate(Mat document, LocalDate today, Optional<LocalDate> expiry) {
        return issueDate(read(document), today, expiry);
    }

    /**
     * The date of issue in a page's text: the date next to each "date of issue" label; empty when no label
     * has one, when the labels disagree, or when the date cannot be an issue date (on or after the expiry,
     * more than {@value #MAX_VALIDITY_YEARS} years before it, or in the future).
     */
    static Optional<LocalDate> issueDate(String text, LocalDate today, Optional<LocalDate> expiry) {
        Matcher label = LABEL.matcher(text);
        LocalDate found = null;
        while (label.find()) {
            Optional<LocalDate> d = firstDate(nearLabel(text, label.end()), today, expiry);
            if (d.isPresent()) {
                if (found != null && !found.equals(d.get())) {
                    return Optional.empty();  // two labels, two dates: unsure
                }
                found = d.get();
            }
        }
        return Optional.ofNullable(found);
    }

    /** The text after a label that can hold its value: the rest of its line and the next line with text. */
    private static String nearLabel(String text, int from) {
        String after = text.substring(from, Math.min(text.length(), from + NEAR_LABEL));
        int firstBreak = after.indexOf('\n');
        if (firstBreak >= 0) {
            int next = firstBreak + 1;
            while (next < after.length() && Character.isWhitespace(after.charAt(next))) {
                next++;
            }
            int secondBreak = after.indexOf('\n', next);
            after = secondBreak < 0 ? after : after.substring(0, secondBreak);
        }
        Matcher other = OTHER_LABEL.matcher(after);
        return other.find() ? after.substring(0, other.start()) : after;
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
        return firstDate(text, today, Optional.empty());
    }

    /**
     * The first date in the text that can be an issue date: not in the future and, when the expiry is
     * known, before it and at most {@value #MAX_VALIDITY_YEARS} years before it.
     */
    static Optional<LocalDate> firstDate(String text, LocalDate today, Optional<LocalDate> expiry) {
        LocalDate earliest = expiry.orElse(today).minusYears(MAX_VALIDITY_YEARS);
        LocalDate latest = expiry.map(e -> e.minusDays(1)).filter(e -> e.isBefore(today)).orElse(today);
        int best = Integer.MAX_VALUE;
        LocalDate found = null;
        Matcher m = TEXT_DATE.matcher(text);
        while (m.find()) {
            Integer month = month(m.group(2));
            LocalDate d = month == null ? null : date(m.group(3), month, m.group(1), earliest, latest);
            if (d != null && m.start() < best) {
                best = m.start();
                found = d;
                break;
            }
        }
        m = NUM_DATE.matcher(text);
        while (m.find() && m.start() < best) {
            LocalDate d = date(m.group(3), Integer.parseInt(m.group(2)), m.group(1), earliest, latest);
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
        return Optional.ofNullable(found).filter(d -> !d.isAfter(latest) && !d.isBefore(earliest));
    }

    private static Integer month(String word) {
        String w = word.toUpperCase(Locale.ROOT);
        Integer m = MONTHS.get(w.length() > 4 ? w.substring(0, 4) : w);
        return m != null ? m : MONTHS.get(w.substring(0, 3));
    }

    /** The date when it lies between the bounds; a two-digit year takes the one century that does, else null. */
    private static LocalDate date(String year, int month, String day, LocalDate earliest, LocalDate latest) {
        int y = Integer.parseInt(year);
        List<Integer> years = year.length() == 2 ? List.of(1900 + y, 2000 + y) : List.of(y);
        LocalDate only = null;
        for (int candidate : years) {
            LocalDate d;
            try {
                d = LocalDate.of(candidate, month, Integer.parseInt(day));
            } catch (DateTimeException e) {
                continue;
            }
            if (!d.isBefore(earliest) && !d.isAfter(latest)) {
                if (only != null) {
                    return null;  // two centuries fit: unsure
                }
                only = d;
            }
        }
        return only;
    }

    @Override
    public void close() {
        synchronized (api) {
            api.End();
            api.close();
        }
    }
}
