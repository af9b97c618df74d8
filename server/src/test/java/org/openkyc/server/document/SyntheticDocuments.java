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
        double pxPerMm = 11.8;  // 300 dpi
        double wMm = switch (id.format()) { case TD1 -> 85.6; case TD2, MRV_B -> 105; case TD3, MRV_A -> 125; };
        double hMm = switch (id.format()) { case TD1 -> 54; case TD2, MRV_B -> 74; case TD3, MRV_A -> 88; };
        int cw = (int) Math.round(wMm * pxPerMm);
        int ch = (int) Math.round(hMm * pxPerMm);
        int margin = (int) (cw * 0.12);
        BufferedImage img = new BufferedImage(cw + 2 * margin, ch + 2 * margin, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(new Color(70 + rnd.nextInt(30), 60 + rnd.nextInt(30), 50 + rnd.nextInt(30)));
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.translate(margin, margin);
        g.setColor(new Color(236 + rnd.nextInt(12), 232 + rnd.nextInt(12), 222 + rnd.nextInt(16)));
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
}
