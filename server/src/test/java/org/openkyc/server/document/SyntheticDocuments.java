package org.openkyc.server.document;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.CV_16SC3;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.add;
import static org.bytedeco.opencv.global.opencv_core.randn;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_QUALITY;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;
import static org.bytedeco.opencv.global.opencv_imgproc.GaussianBlur;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.getRotationMatrix2D;
import static org.bytedeco.opencv.global.opencv_imgproc.warpAffine;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point2f;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Renders synthetic identity documents (TD1, TD2, TD3) with a machine-readable
 * zone in the OCR-B font (Debian fonts-ocr-b) for random valid identities, and
 * degrades them (rotation, blur, noise, JPEG compression). Test data only.
 */
public final class SyntheticDocuments {

    /** A random identity and the MRZ lines that encode it. */
    public record Identity(MrzFormat format, String type, String state, String surname, String givenNames,
            String number, String nationality, LocalDate birth, String sex, LocalDate expiry, String optional,
            List<String> lines) {}

    /** One degradation level. */
    public record Degradation(String name, double angle, int blur, double noise, int jpegQuality) {
        public static final Degradation CLEAN = new Degradation("clean", 0, 0, 0, 0);
    }

    /** The levels reported in BENCHMARKS.md. */
    public static final List<Degradation> LEVELS = List.of(
            Degradation.CLEAN,
            new Degradation("rotated-3", 3, 0, 0, 0),
            new Degradation("rotated-8", -8, 0, 0, 0),
            new Degradation("blur-5", 0, 5, 0, 0),
            new Degradation("blur-9", 0, 9, 0, 0),
            new Degradation("noise-12", 0, 0, 12, 0),
            new Degradation("jpeg-25", 0, 0, 0, 25),
            new Degradation("combined", 4, 5, 8, 40));

    private static final String[] SURNAMES = {"ERIKSSON", "MUELLER", "NGUYEN", "OKONKWO", "GARCIA LOPEZ",
        "VAN DER BERG", "KIM", "SOMCHAI", "OBRIEN", "DUBOIS", "ROSSI", "SMITH", "TANAKA", "SILVA", "BJORK",
        "ABDULLAH", "PETROVA", "MARTINEZ", "KOWALSKI", "HASSAN", "OYELARAN", "LINDQVIST"};
    private static final String[] GIVEN = {"ANNA MARIA", "JOHN", "MIN JUN", "CHIOMA", "LUCIA", "PIETER",
        "SOMSAK", "SEAN PATRICK", "MARIE CLAIRE", "GIULIA", "OLIVER", "YUKI", "JOAO", "SIGRID", "OMAR",
        "ELENA", "JOSE LUIS", "AGNIESZKA", "FATIMA", "ADE", "BO"};
    private static final String[] STATES = {"UTO", "D", "FRA", "NLD", "KOR", "THA", "USA", "GBR", "NGA",
        "BRA", "JPN", "SWE", "POL", "ITA", "ESP"};
    private static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    private static Font ocrb;

    private SyntheticDocuments() {}

    static synchronized Font ocrb() {
        if (ocrb == null) {
            File f = new File("/usr/share/fonts/opentype/ocr-b/OCRB.otf");
            try {
                ocrb = Font.createFont(Font.TRUETYPE_FONT, f);
            } catch (Exception e) {
                throw new IllegalStateException("OCR-B font missing: run bin/setup (Debian fonts-ocr-b)", e);
            }
        }
        return ocrb;
    }

    /** Whether the OCR-B font is installed. */
    public static boolean fontAvailable() {
        return new File("/usr/share/fonts/opentype/ocr-b/OCRB.otf").isFile();
    }

    public static Identity randomIdentity(Random rnd, MrzFormat format) {
        String state = STATES[rnd.nextInt(STATES.length)];
        String nat = rnd.nextInt(4) == 0 ? STATES[rnd.nextInt(STATES.length)] : state;
        String surname = SURNAMES[rnd.nextInt(SURNAMES.length)];
        String given = GIVEN[rnd.nextInt(GIVEN.length)];
        StringBuilder num = new StringBuilder();
        num.append(ALNUM.charAt(rnd.nextInt(26)));
        for (int i = 0; i < 8; i++) {
            // Mostly digits, some letters: the mix on which O/0 and I/1 confusions matter.
            num.append(rnd.nextInt(4) == 0 ? ALNUM.charAt(rnd.nextInt(26)) : ALNUM.charAt(26 + rnd.nextInt(10)));
        }
        LocalDate birth = LocalDate.of(1950 + rnd.nextInt(56), 1 + rnd.nextInt(12), 1 + rnd.nextInt(28));
        LocalDate expiry = LocalDate.of(2026 + rnd.nextInt(10), 1 + rnd.nextInt(12), 1 + rnd.nextInt(28));
        String sex = rnd.nextBoolean() ? "M" : "F";
        String optional = rnd.nextBoolean() ? "" : String.valueOf(100000 + rnd.nextInt(900000)) + "X" + rnd.nextInt(10);
        String type = format.visa() ? (rnd.nextBoolean() ? "V" : "VC")
                : format == MrzFormat.TD3 ? "P" : (rnd.nextBoolean() ? "I" : "ID");
        if (format == MrzFormat.TD2 || format == MrzFormat.MRV_B) {
            optional = optional.length() > 7 ? optional.substring(0, 7) : optional;
        }
        return new Identity(format, type, state, surname, given, num.toString(), nat, birth, sex, expiry,
                optional, mrzLines(format, type, state, surname, given, num.toString(), nat, birth, sex, expiry, optional));
    }

    static String pad(String s, int n) {
        String t = s.replace(' ', '<');
        if (t.length() > n) {
            return t.substring(0, n);
        }
        return t + "<".repeat(n - t.length());
    }

    static String yymmdd(LocalDate d) {
        return String.format("%02d%02d%02d", d.getYear() % 100, d.getMonthValue(), d.getDayOfMonth());
    }

    static int cd(String s) {
        return MrzParser.checkDigit(s);
    }

    public static List<String> mrzLines(MrzFormat f, String type, String state, String surname, String given,
            String number, String nat, LocalDate birth, String sex, LocalDate expiry, String optional) {
        String names = surname.replace(' ', '<') + "<<" + given.replace(' ', '<');
        String b = yymmdd(birth);
        String e = yymmdd(expiry);
        switch (f) {
            case TD3 -> {
                String l1 = pad(type, 2) + pad(state, 3) + pad(names, 39);
                String opt = pad(optional, 14);
                String optCheck = optional.isEmpty() ? "<" : String.valueOf(cd(opt));
                String l2 = pad(number, 9) + cd(pad(number, 9)) + pad(nat, 3) + b + cd(b) + sex + e + cd(e) + opt + optCheck;
                String comp = l2.substring(0, 10) + l2.substring(13, 20) + l2.substring(21, 43);
                return List.of(l1, l2 + cd(comp));
            }
            case TD2 -> {
                String l1 = pad(type, 2) + pad(state, 3) + pad(names, 31);
                String l2 = pad(number, 9) + cd(pad(number, 9)) + pad(nat, 3) + b + cd(b) + sex + e + cd(e) + pad(optional, 7);
                String comp = l2.substring(0, 10) + l2.substring(13, 20) + l2.substring(21, 35);
                return List.of(l1, l2 + cd(comp));
            }
            case MRV_A, MRV_B -> {
                // ICAO 9303 part 7: optional data to the end of the line, no composite check digit.
                int n = f.length();
                String l1 = pad(type, 2) + pad(state, 3) + pad(names, n - 5);
                String l2 = pad(number, 9) + cd(pad(number, 9)) + pad(nat, 3) + b + cd(b) + sex + e + cd(e)
                        + pad(optional, n - 28);
                return List.of(l1, l2);
            }
            default -> {
                String l1 = pad(type, 2) + pad(state, 3) + pad(number, 9) + cd(pad(number, 9)) + pad(optional, 15);
                String l2 = b + cd(b) + sex + e + cd(e) + pad(nat, 3) + pad("", 11);
                String comp = l1.substring(5, 30) + l2.substring(0, 7) + l2.substring(8, 15) + l2.substring(18, 29);
                l2 = l2 + cd(comp);
                return List.of(l1, l2, pad(names, 30));
            }
        }
    }

    /**
     * Renders the document on a darker table, as a camera would frame it; PNG bytes.
     *
     * @param portrait an image for the photo area, or null for a grey placeholder
     */
    public static byte[] render(Identity id, BufferedImage portrait, Random rnd) {
        return render(id, portrait, rnd, null, null, 0.12);
    }

    /**
     * A flatbed scan: a bright page on the scanner's white lid, a white margin around it, no table edge to
     * find. Paper at 222-232, lid 255: a whole-image measure took the lid for glare.
     */
    public static byte[] renderFlatbed(Identity id, Random rnd) {
        return render(id, null, rnd, new Color(255, 255, 255), new Color(226 + rnd.nextInt(6), 226 + rnd.nextInt(6),
                222 + rnd.nextInt(6)), 0.08);
    }

    /** The document alone, cut at its edges (a cropped scan). */
    public static byte[] renderCropped(Identity id, Random rnd) {
        return render(id, null, rnd, null, null, 0);
    }

    private static byte[] render(Identity id, BufferedImage portrait, Random rnd, Color table, Color paper,
            double marginShare) {
        double pxPerMm = 11.8;  // 300 dpi
        double wMm = switch (id.format()) { case TD1 -> 85.6; case TD2, MRV_B -> 105; case TD3, MRV_A -> 125; };
        double hMm = switch (id.format()) { case TD1 -> 54; case TD2, MRV_B -> 74; case TD3, MRV_A -> 88; };
        int cw = (int) Math.round(wMm * pxPerMm);
        int ch = (int) Math.round(hMm * pxPerMm);
        int margin = (int) (cw * marginShare);
        BufferedImage img = new BufferedImage(cw + 2 * margin, ch + 2 * margin, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(table != null ? table : new Color(70 + rnd.nextInt(30), 60 + rnd.nextInt(30), 50 + rnd.nextInt(30)));
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.translate(margin, margin);
        g.setColor(paper != null ? paper
                : new Color(236 + rnd.nextInt(12), 232 + rnd.nextInt(12), 222 + rnd.nextInt(16)));
        g.fillRoundRect(0, 0, cw, ch, (int) (3 * pxPerMm), (int) (3 * pxPerMm));
        // A faint guilloche-like pattern, as on real documents.
        g.setColor(new Color(210, 215, 230));
        g.setClip(new java.awt.geom.RoundRectangle2D.Double(0, 0, cw, ch, 3 * pxPerMm, 3 * pxPerMm));
        for (int i = 0; i < 30; i++) {
            int y = (int) (ch * 0.05 + i * ch * 0.02);
            g.drawArc(-cw / 2, y, 2 * cw, ch / 3, 0, 180);
        }
        g.setColor(new Color(30, 30, 60));
        Font sans = new Font(Font.SANS_SERIF, Font.BOLD, (int) (4 * pxPerMm));
        g.setFont(sans);
        g.drawString(id.format() == MrzFormat.TD3 ? "PASSPORT" : "IDENTITY CARD", (int) (cw * 0.35), (int) (7 * pxPerMm));
        // Photo area.
        int px = (int) (4 * pxPerMm);
        int py = (int) (10 * pxPerMm);
        int pw = (int) (wMm * 0.25 * pxPerMm);
        int ph = (int) (pw * 1.3);
        if (portrait != null) {
            g.drawImage(portrait, px, py, pw, ph, null);
        } else {
            g.setColor(new Color(150, 150, 160));
            g.fillRect(px, py, pw, ph);
        }
        // Visual zone fields.
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, (int) (2.2 * pxPerMm)));
        g.setColor(new Color(20, 20, 20));
        int tx = px + pw + (int) (4 * pxPerMm);
        int ty = py + (int) (3 * pxPerMm);
        String[] fields = {"Surname " + id.surname(), "Given names " + id.givenNames(), "Nationality " + id.nationality(),
            "Date of birth " + id.birth(), "Sex " + id.sex(), "Date of expiry " + id.expiry(), "No. " + id.number()};
        for (String f : fields) {
            g.drawString(f, tx, ty);
            ty += (int) (3.3 * pxPerMm);
        }
        // Machine-readable zone in OCR-B at the ICAO pitch of 2.54 mm.
        double pitch = 2.54 * pxPerMm;
        Font mrz = ocrb().deriveFont((float) (3.5 * pxPerMm));
        g.setFont(mrz);
        g.setColor(new Color(10, 10, 10));
        int n = id.format().length();
        double x0 = (cw - n * pitch) / 2;
        double lineGap = 4.3 * pxPerMm;
        double baseline = ch - 4.0 * pxPerMm - (id.lines().size() - 1) * lineGap;
        for (String line : id.lines()) {
            for (int i = 0; i < line.length(); i++) {
                String c = String.valueOf(line.charAt(i));
                int adv = g.getFontMetrics().stringWidth(c);
                g.drawString(c, (float) (x0 + i * pitch + (pitch - adv) / 2), (float) baseline);
            }
            baseline += lineGap;
        }
        g.dispose();
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(img, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Applies a degradation; returns PNG, or JPEG when the level compresses. */
    public static byte[] degrade(byte[] png, Degradation d, Random rnd) {
        try (BytePointer in = new BytePointer(png);
                Mat buf = new Mat(1, png.length, org.bytedeco.opencv.global.opencv_core.CV_8UC1, in);
                Mat img = imdecode(buf, IMREAD_COLOR)) {
            Mat cur = img.clone();
            if (d.angle() != 0) {
                Mat out = new Mat();
                try (Mat rot = getRotationMatrix2D(new Point2f(cur.cols() / 2f, cur.rows() / 2f), d.angle(), 1.0)) {
                    warpAffine(cur, out, rot, cur.size(), INTER_LINEAR, BORDER_CONSTANT, new Scalar(60, 60, 60, 0));
                }
                cur.close();
                cur = out;
            }
            if (d.blur() > 0) {
                GaussianBlur(cur, cur, new Size(d.blur(), d.blur()), 0);
            }
            if (d.noise() > 0) {
                try (Mat noise = new Mat(cur.size(), CV_16SC3); Mat wide = new Mat()) {
                    randn(noise, new Mat(new double[] {0, 0, 0}), new Mat(new double[] {d.noise(), d.noise(), d.noise()}));
                    cur.convertTo(wide, CV_16SC3);
                    add(wide, noise, wide);
                    wide.convertTo(cur, CV_8UC3);
                }
            }
            String ext = d.jpegQuality() > 0 ? ".jpg" : ".png";
            try (BytePointer outBuf = new BytePointer()) {
                int[] params = d.jpegQuality() > 0 ? new int[] {IMWRITE_JPEG_QUALITY, d.jpegQuality()} : new int[0];
                imencode(ext, cur, outBuf, new org.bytedeco.javacpp.IntPointer(params));
                byte[] bytes = new byte[(int) outBuf.limit()];
                outBuf.get(bytes);
                cur.close();
                return bytes;
            }
        }
    }

    // ---- Capture conditions: each takes and returns image bytes (PNG unless stated). ----

    /** Decodes, transforms and re-encodes as PNG. */
    public static byte[] transform(byte[] image, java.util.function.UnaryOperator<Mat> f) {
        try (BytePointer in = new BytePointer(image);
                Mat buf = new Mat(1, image.length, org.bytedeco.opencv.global.opencv_core.CV_8UC1, in);
                Mat img = imdecode(buf, IMREAD_COLOR); Mat out = f.apply(img)) {
            return encode(out, ".png", new int[0]);
        }
    }

    private static byte[] encode(Mat m, String ext, int[] params) {
        try (BytePointer outBuf = new BytePointer()) {
            imencode(ext, m, outBuf, new org.bytedeco.javacpp.IntPointer(params));
            byte[] bytes = new byte[(int) outBuf.limit()];
            outBuf.get(bytes);
            return bytes;
        }
    }

    /** Re-encodes as JPEG at the given quality (1-100). */
    public static byte[] jpeg(byte[] image, int quality) {
        try (BytePointer in = new BytePointer(image);
                Mat buf = new Mat(1, image.length, org.bytedeco.opencv.global.opencv_core.CV_8UC1, in);
                Mat img = imdecode(buf, IMREAD_COLOR)) {
            return encode(img, ".jpg", new int[] {IMWRITE_JPEG_QUALITY, quality});
        }
    }

    /**
     * Turns the image by {@code degrees} (counter-clockwise, as OpenCV) on a canvas grown to hold all of it,
     * the new corners filled with a table tone.
     */
    public static byte[] skew(byte[] image, double degrees) {
        return skew(image, degrees, -1);
    }

    /** As {@link #skew(byte[], double)}, the corners filled with a grey level (0-255; -1: a table tone). */
    public static byte[] skew(byte[] image, double degrees, int fillGrey) {
        Scalar fill = fillGrey < 0 ? new Scalar(70, 65, 60, 0) : new Scalar(fillGrey, fillGrey, fillGrey, 0);
        return transform(image, img -> {
            double r = Math.toRadians(degrees);
            int w = img.cols();
            int h = img.rows();
            int nw = (int) Math.ceil(Math.abs(w * Math.cos(r)) + Math.abs(h * Math.sin(r)));
            int nh = (int) Math.ceil(Math.abs(w * Math.sin(r)) + Math.abs(h * Math.cos(r)));
            Mat out = new Mat();
            try (Mat rot = getRotationMatrix2D(new Point2f(w / 2f, h / 2f), degrees, 1.0)) {
                org.bytedeco.javacpp.indexer.DoubleIndexer m = rot.createIndexer();
                m.put(0, 2, m.get(0, 2) + (nw - w) / 2.0);
                m.put(1, 2, m.get(1, 2) + (nh - h) / 2.0);
                m.release();
                warpAffine(img, out, rot, new Size(nw, nh), INTER_LINEAR, BORDER_CONSTANT, fill);
            }
            return out;
        });
    }

    /** Turns the image by a multiple of 90 degrees clockwise (1, 2 or 3 quarter turns). */
    public static byte[] quarterTurns(byte[] image, int turns) {
        return transform(image, img -> {
            Mat out = new Mat();
            int code = switch (((turns % 4) + 4) % 4) {
                case 1 -> org.bytedeco.opencv.global.opencv_core.ROTATE_90_CLOCKWISE;
                case 2 -> org.bytedeco.opencv.global.opencv_core.ROTATE_180;
                case 3 -> org.bytedeco.opencv.global.opencv_core.ROTATE_90_COUNTERCLOCKWISE;
                default -> -1;
            };
            if (code < 0) {
                img.copyTo(out);
            } else {
                org.bytedeco.opencv.global.opencv_core.rotate(img, out, code);
            }
            return out;
        });
    }

    /**
     * A phone held at an angle: the top edge of the frame seen {@code shrink} narrower than the bottom
     * (0.2 = 20 %), with the far side a little shorter too.
     */
    public static byte[] perspective(byte[] image, double shrink) {
        return transform(image, img -> {
            float w = img.cols();
            float h = img.rows();
            float inset = (float) (w * shrink / 2);
            try (Mat src = new Mat(4, 1, org.bytedeco.opencv.global.opencv_core.CV_32FC2);
                    Mat dst = new Mat(4, 1, org.bytedeco.opencv.global.opencv_core.CV_32FC2)) {
                org.bytedeco.javacpp.indexer.FloatIndexer s = src.createIndexer();
                org.bytedeco.javacpp.indexer.FloatIndexer d = dst.createIndexer();
                float[][] from = {{0, 0}, {w - 1, 0}, {w - 1, h - 1}, {0, h - 1}};
                float[][] to = {{inset, h * 0.08f}, {w - 1 - inset, h * 0.08f}, {w - 1, h - 1}, {0, h - 1}};
                for (int i = 0; i < 4; i++) {
                    s.put(i, 0, 0, from[i][0]);
                    s.put(i, 0, 1, from[i][1]);
                    d.put(i, 0, 0, to[i][0]);
                    d.put(i, 0, 1, to[i][1]);
                }
                s.release();
                d.release();
                Mat out = new Mat();
                try (Mat t = org.bytedeco.opencv.global.opencv_imgproc.getPerspectiveTransform(src, dst)) {
                    org.bytedeco.opencv.global.opencv_imgproc.warpPerspective(img, out, t, img.size(), INTER_LINEAR,
                            BORDER_CONSTANT, new Scalar(70, 65, 60, 0));
                }
                return out;
            }
        });
    }

    /**
     * Places the image in a larger frame of table tone so that it covers {@code share} of the frame's area
     * (0.2 = the document fills a fifth of the photo), off centre as people hold a phone.
     */
    public static byte[] fill(byte[] image, double share) {
        return transform(image, img -> {
            double k = Math.sqrt(1 / share);
            int fw = (int) Math.round(img.cols() * k);
            int fh = (int) Math.round(img.rows() * k);
            Mat out = new Mat(fh, fw, img.type(), new Scalar(72, 66, 58, 0));
            int x = (fw - img.cols()) / 3;
            int y = (fh - img.rows()) / 2;
            try (Mat roi = new Mat(out, new org.bytedeco.opencv.opencv_core.Rect(x, y, img.cols(), img.rows()))) {
                img.copyTo(roi);
            }
            return out;
        });
    }

    /** Scales the image to the given width (INTER_AREA), as a web page or a messenger would. */
    public static byte[] width(byte[] image, int width) {
        return transform(image, img -> {
            Mat out = new Mat();
            int h = (int) Math.round((double) img.rows() * width / img.cols());
            org.bytedeco.opencv.global.opencv_imgproc.resize(img, out, new Size(width, h), 0, 0,
                    org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA);
            return out;
        });
    }

    /** Scales the image to the given height (INTER_AREA). */
    public static byte[] height(byte[] image, int height) {
        return transform(image, img -> {
            Mat out = new Mat();
            int w = (int) Math.round((double) img.cols() * height / img.rows());
            org.bytedeco.opencv.global.opencv_imgproc.resize(img, out, new Size(w, height), 0, 0,
                    org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA);
            return out;
        });
    }

    /**
     * A blown-out reflection: an ellipse of pure white with a soft rim, centred at ({@code fx}, {@code fy})
     * (shares of the width and height) with radii {@code rx}, {@code ry} (shares of the width).
     */
    public static byte[] glare(byte[] image, double fx, double fy, double rx, double ry) {
        return transform(image, img -> {
            Mat out = img.clone();
            try (Mat mask = new Mat(img.size(), org.bytedeco.opencv.global.opencv_core.CV_8UC1, new Scalar(0));
                    Mat white = new Mat(img.size(), img.type(), new Scalar(255, 255, 255, 0))) {
                org.bytedeco.opencv.opencv_core.Point c = new org.bytedeco.opencv.opencv_core.Point(
                        (int) (fx * img.cols()), (int) (fy * img.rows()));
                org.bytedeco.opencv.global.opencv_imgproc.ellipse(mask, c, new Size((int) (rx * img.cols()),
                        (int) (ry * img.cols())), 0, 0, 360, new Scalar(255), -1, 8, 0);
                white.copyTo(out, mask);
            }
            return out;
        });
    }

    /** Scales every tone by {@code gain} (0.8: paper photographed at a grey level, as cameras do). */
    public static byte[] exposure(byte[] image, double gain) {
        return transform(image, img -> {
            Mat out = new Mat();
            img.convertTo(out, -1, gain, 0);
            return out;
        });
    }

    /** Horizontal motion blur over {@code length} pixels (a hand moving while the shutter is open). */
    public static byte[] motionBlur(byte[] image, int length) {
        return transform(image, img -> {
            Mat out = new Mat();
            try (Mat k = new Mat(1, length, org.bytedeco.opencv.global.opencv_core.CV_32F,
                    new Scalar(1.0 / length))) {
                org.bytedeco.opencv.global.opencv_imgproc.filter2D(img, out, -1, k);
            }
            return out;
        });
    }
}
