package org.openkyc.server.document;

import static org.bytedeco.tesseract.global.tesseract.OEM_LSTM_ONLY;
import static org.bytedeco.tesseract.global.tesseract.PSM_SINGLE_BLOCK;
import static org.bytedeco.tesseract.global.tesseract.PSM_SINGLE_LINE;
import static org.bytedeco.tesseract.global.tesseract.RIL_SYMBOL;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.tesseract.ResultIterator;
import org.bytedeco.tesseract.TessBaseAPI;

/**
 * Tesseract engines for MRZ text. A {@link TessBaseAPI} is not thread-safe, so
 * each call borrows one from a small pool (created lazily, at most one per core)
 * and returns it. The model is loaded once per engine, never per call.
 */
final class TesseractPool implements AutoCloseable {

    static final String MRZ_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<";

    private final Path tessdata;
    private final String language;
    private final BlockingQueue<TessBaseAPI> idle;
    private final List<TessBaseAPI> all = new ArrayList<>();
    private final int max;

    /**
     * @param tessdata folder holding {@code <language>.traineddata}
     * @param language preferred model (e.g. ocrb_int); eng is used when it is absent
     */
    TesseractPool(Path tessdata, String language, int max) {
        this.tessdata = tessdata;
        String lang = language;
        if (!Files.isRegularFile(tessdata.resolve(lang + ".traineddata"))) {
            lang = "eng";
        }
        if (!Files.isRegularFile(tessdata.resolve(lang + ".traineddata"))) {
            throw new IllegalStateException("No MRZ OCR model in " + tessdata + " (run bin/setup)");
        }
        this.language = lang;
        this.max = max;
        this.idle = new ArrayBlockingQueue<>(max);
    }

    String language() {
        return language;
    }

    private TessBaseAPI borrow() throws InterruptedException {
        TessBaseAPI api = idle.poll();
        if (api != null) {
            return api;
        }
        synchronized (all) {
            if (all.size() < max) {
                api = new TessBaseAPI();
                if (api.Init(tessdata.toString(), language, OEM_LSTM_ONLY) != 0) {
                    api.close();
                    throw new IllegalStateException("Tesseract could not load " + language + " from " + tessdata);
                }
                api.SetVariable("tessedit_char_whitelist", MRZ_CHARS);
                api.SetVariable("load_system_dawg", "0");
                api.SetVariable("load_freq_dawg", "0");
                // A zone is dark print on light paper: Tesseract's second recognition of a line it is unsure
                // of, inverted (as if white on black), is not what such a line needs, and it repeated the
                // slowest step on exactly the lines that are already slow (glare, blur).
                api.SetVariable("tessedit_do_invert", "0");
                // Tesseract's diagnostics ("Estimating resolution as ...") would go to the process's stderr,
                // outside the logs and their format: they carry nothing an operator needs.
                api.SetVariable("debug_file", "/dev/null");
                all.add(api);
                return api;
            }
        }
        return idle.take();
    }

    /** Reads one line (PSM 7) from an 8-bit grey image. */
    OcrLine readLine(Mat grey) {
        return read(grey, true).get(0);
    }

    /** Reads a block of lines (PSM 6) from an 8-bit grey image. */
    List<OcrLine> readBlock(Mat grey) {
        return read(grey, false);
    }

    private List<OcrLine> read(Mat grey, boolean line) {
        TessBaseAPI api;
        try {
            api = borrow();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        try {
            api.SetPageSegMode(line ? PSM_SINGLE_LINE : PSM_SINGLE_BLOCK);
            api.SetImage(grey.data(), grey.cols(), grey.rows(), 1, (int) grey.step());
            if (api.Recognize(null) != 0) {
                return List.of(new OcrLine("", new double[0]));
            }
            List<OcrLine> lines = new ArrayList<>();
            StringBuilder text = new StringBuilder();
            List<Double> conf = new ArrayList<>();
            ResultIterator it = api.GetIterator();
            if (it != null) {
                do {
                    BytePointer sym = it.GetUTF8Text(RIL_SYMBOL);
                    if (sym == null) {
                        continue;
                    }
                    String s = sym.getString();
                    sym.deallocate();
                    if (!line && it.IsAtBeginningOf(org.bytedeco.tesseract.global.tesseract.RIL_TEXTLINE) && text.length() > 0) {
                        lines.add(toLine(text, conf));
                        text.setLength(0);
                        conf.clear();
                    }
                    text.append(s);
                    for (int i = 0; i < s.length(); i++) {
                        conf.add(it.Confidence(RIL_SYMBOL) / 100.0);
                    }
                } while (it.Next(RIL_SYMBOL));
                it.close();
            }
            lines.add(toLine(text, conf));
            api.Clear();
            return lines;
        } finally {
            idle.offer(api);
        }
    }

    private static OcrLine toLine(StringBuilder text, List<Double> conf) {
        double[] c = new double[conf.size()];
        for (int i = 0; i < c.length; i++) {
            c[i] = Math.max(0, Math.min(1, conf.get(i)));
        }
        return new OcrLine(text.toString(), c);
    }

    @Override
    public void close() {
        synchronized (all) {
            for (TessBaseAPI api : all) {
                api.End();
                api.close();
            }
            all.clear();
            idle.clear();
        }
    }
}
