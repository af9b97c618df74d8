package org.openkyc.server.document.devset;

import java.awt.AlphaComposite;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.Path2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.openkyc.server.document.MrzFormat;
import org.openkyc.server.vision.TestVision;

/**
 * Renders specimen-like documents at 300 dpi: a tinted page with guilloche rosettes, wave bands and
 * micro-printed background text, the issuing state's name and the document's title, a portrait (one of
 * the test face photos, in colour or grey) and a ghost image, the visual zone's labelled fields in two
 * languages, a signature, and the machine-readable zone in OCR-B at the ICAO pitch of 2.54 mm. TD1 is
 * drawn as a card's back (the zone's side). Returns the document alone, cut at its rounded outline, with
 * its mask (white inside the outline).
 */
final class Renderer {

    static final double PX_PER_MM = 300 / 25.4;

    /** A rendered document: the page in RGB and its outline as a mask (white inside). */
    record Page(BufferedImage rgb, BufferedImage mask) {}

    private static final Map<String, String> STATE_NAMES = Map.ofEntries(Map.entry("UTO", "UTOPIA"),
            Map.entry("D", "BUNDESREPUBLIK DEUTSCHLAND"), Map.entry("FRA", "RÉPUBLIQUE FRANÇAISE"),
            Map.entry("NLD", "KONINKRIJK DER NEDERLANDEN"), Map.entry("KOR", "REPUBLIC OF KOREA"),
            Map.entry("THA", "KINGDOM OF THAILAND"), Map.entry("USA", "UNITED STATES OF AMERICA"),
            Map.entry("GBR", "UNITED KINGDOM"), Map.entry("NGA", "FEDERAL REPUBLIC OF NIGERIA"),
            Map.entry("BRA", "REPÚBLICA FEDERATIVA DO BRASIL"), Map.entry("JPN", "JAPAN"),
            Map.entry("SWE", "KONUNGARIKET SVERIGE"), Map.entry("POL", "RZECZPOSPOLITA POLSKA"),
            Map.entry("ITA", "REPUBBLICA ITALIANA"), Map.entry("ESP", "REINO DE ESPAÑA"),
            Map.entry("UNO", "UNITED NATIONS"), Map.entry("RKS", "REPUBLIKA E KOSOVËS"),
            Map.entry("IND", "REPUBLIC OF INDIA"), Map.entry("EGY", "ARAB REPUBLIC OF EGYPT"),
            Map.entry("CAN", "CANADA"), Map.entry("MEX", "ESTADOS UNIDOS MEXICANOS"),
            Map.entry("GBD", "BRITISH OVERSEAS TERRITORIES"), Map.entry("EUE", "EUROPEAN UNION"));
    private static final DateTimeFormatter PRINTED_DATE = DateTimeFormatter.ofPattern("dd MMM yyyy", Locale.ENGLISH);

    private static BufferedImage[] faces;
    private static java.awt.Font ocrb;

    private Renderer() {}

    static int px(double mm) {
        return (int) Math.round(mm * PX_PER_MM);
    }

    /** Width and height in mm of each layout (MRV-A and MRV-B as ICAO 9303 part 7 gives them). */
    static double[] sizeMm(MrzFormat f) {
        return switch (f) {
            case TD1 -> new double[] {85.6, 54};
            case TD2 -> new double[] {105, 74};
            case TD3 -> new double[] {125, 88};
            case MRV_A -> new double[] {120, 80};
            case MRV_B -> new double[] {105, 74};
        };
    }

    static synchronized java.awt.Font ocrb() {
        if (ocrb == null) {
            try {
                ocrb = java.awt.Font.createFont(java.awt.Font.TRUETYPE_FONT,
                        new File("/usr/share/fonts/opentype/ocr-b/OCRB.otf"));
            } catch (Exception e) {
                throw new IllegalStateException("OCR-B font missing: run bin/setup (Debian fonts-ocr-b)", e);
            }
        }
        return ocrb;
    }

    static synchronized BufferedImage face(int i) {
        if (faces == null) {
            try {
                faces = new BufferedImage[] {
                    ImageIO.read(new ByteArrayInputStream(TestVision.resource("astronaut.png"))),
                    ImageIO.read(new ByteArrayInputStream(TestVision.resource("grace_hopper.jpg")))};
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return faces[Math.floorMod(i, faces.length)];
    }

    static Page render(Truth t, Random rnd) {
        double[] mm = sizeMm(t.format());
        int w = px(mm[0]);
        int h = px(mm[1]);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        float hue = rnd.nextFloat();
        Color paper = Color.getHSBColor(hue, 0.06f + rnd.nextFloat() * 0.08f, 0.93f + rnd.nextFloat() * 0.05f);
        Color paper2 = Color.getHSBColor(hue + 0.15f, 0.08f + rnd.nextFloat() * 0.1f, 0.90f + rnd.nextFloat() * 0.06f);
        g.setPaint(new GradientPaint(0, 0, paper, w, h, paper2));
        g.fillRect(0, 0, w, h);
        int zoneTop = h - px(mrzHeightMm(t.format()));
        boolean patternInZone = rnd.nextInt(3) == 0;
        microtext(g, t, w, patternInZone ? h : zoneTop, hue, rnd);
        guilloche(g, w, patternInZone ? h : zoneTop, hue, rnd);
        if (t.format() == MrzFormat.TD1) {
            cardBack(g, t, w, zoneTop, rnd);
        } else {
            dataPage(g, t, w, zoneTop, rnd);
        }
        mrz(g, t, w, h);
        g.dispose();
        BufferedImage mask = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D m = mask.createGraphics();
        m.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        m.setColor(Color.WHITE);
        double r = t.format() == MrzFormat.TD1 || t.format() == MrzFormat.TD2 ? 3.18 : 2.0;
        m.fill(new RoundRectangle2D.Double(0, 0, w, h, px(2 * r), px(2 * r)));
        m.dispose();
        return new Page(img, mask);
    }

    private static double mrzHeightMm(MrzFormat f) {
        return f == MrzFormat.TD1 ? 17.9 : f == MrzFormat.TD2 || f == MrzFormat.MRV_B ? 14.0 : 16.5;
    }

    private static void microtext(Graphics2D g, Truth t, int w, int h, float hue, Random rnd) {
        String text = STATE_NAMES.getOrDefault(t.issuingState(), t.issuingState()) + " ";
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, px(0.9)));
        g.setColor(Color.getHSBColor(hue + 0.5f, 0.15f, 0.80f + rnd.nextFloat() * 0.08f));
        Shape clip = g.getClip();
        g.setClip(0, 0, w, h);
        String row = text.repeat(40);
        for (int y = px(1.2); y < h; y += px(1.3)) {
            g.drawString(row, -rnd.nextInt(px(10)), y);
        }
        g.setClip(clip);
    }

    private static void guilloche(Graphics2D g, int w, int h, float hue, Random rnd) {
        Shape clip = g.getClip();
        g.setClip(0, 0, w, h);
        g.setStroke(new BasicStroke(1.1f));
        for (int k = 0; k < 3; k++) {
            // A hypotrochoid rosette, the classic guilloche figure.
            double cx = w * (0.3 + 0.5 * rnd.nextDouble());
            double cy = h * (0.2 + 0.5 * rnd.nextDouble());
            double big = px(18 + rnd.nextInt(14));
            double small = big / (3 + rnd.nextInt(6)) + px(0.7);
            double d = small * (0.6 + rnd.nextDouble() * 0.8);
            g.setColor(new Color(Color.HSBtoRGB(hue + 0.3f * k, 0.35f, 0.75f) & 0xffffff | 0x90000000, true));
            Path2D p = new Path2D.Double();
            for (int i = 0; i <= 6000; i++) {
                double a = i * 2 * Math.PI / 300;
                double x = cx + (big - small) * Math.cos(a) + d * Math.cos((big - small) / small * a);
                double y = cy + (big - small) * Math.sin(a) - d * Math.sin((big - small) / small * a);
                if (i == 0) {
                    p.moveTo(x, y);
                } else {
                    p.lineTo(x, y);
                }
            }
            g.draw(p);
        }
        // Interlaced wave bands across the page.
        g.setColor(new Color(Color.HSBtoRGB(hue + 0.6f, 0.3f, 0.78f) & 0xffffff | 0x70000000, true));
        double period = px(6 + rnd.nextInt(6));
        for (int band = 0; band < 18; band++) {
            double y0 = h * 0.08 + band * px(1.6);
            Path2D p = new Path2D.Double();
            for (int x = 0; x <= w; x += 3) {
                double y = y0 + px(2.5) * Math.sin(x / period + band * 0.45);
                if (x == 0) {
                    p.moveTo(x, y);
                } else {
                    p.lineTo(x, y);
                }
            }
            g.draw(p);
        }
        g.setClip(clip);
    }

    private static void portrait(Graphics2D g, int faceIndex, boolean grey, int x, int y, int w, int h, float alpha) {
        BufferedImage f = face(faceIndex);
        // Crop the head and shoulders: the face photos are square, the portrait is 35x45.
        int cw = (int) (f.getWidth() * 0.72);
        int ch = Math.min(f.getHeight(), (int) (cw * h / (double) w));
        int cx = (f.getWidth() - cw) / 2;
        BufferedImage crop = f.getSubimage(cx, 0, cw, ch);
        if (grey) {
            BufferedImage gr = new BufferedImage(cw, ch, BufferedImage.TYPE_BYTE_GRAY);
            Graphics2D gg = gr.createGraphics();
            gg.drawImage(crop, 0, 0, null);
            gg.dispose();
            crop = gr;
        }
        java.awt.Composite c = g.getComposite();
        g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, alpha));
        g.drawImage(crop, x, y, w, h, null);
        g.setComposite(c);
    }

    private static void field(Graphics2D g, String label, String value, int x, int y) {
        g.setFont(new Font(Font.SANS_SERIF, Font.ITALIC, px(1.5)));
        g.setColor(new Color(60, 60, 90));
        g.drawString(label, x, y);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, px(2.4)));
        g.setColor(new Color(15, 15, 25));
        g.drawString(value, x + px(0.8), y + px(3.0));
    }

    private static String printed(LocalDate d) {
        return d.format(PRINTED_DATE).toUpperCase(Locale.ROOT);
    }

    private static void dataPage(Graphics2D g, Truth t, int w, int zoneTop, Random rnd) {
        boolean visa = t.format().visa();
        g.setColor(new Color(25, 30, 70));
        g.setFont(new Font(Font.SERIF, Font.BOLD, px(4.2)));
        String state = STATE_NAMES.getOrDefault(t.issuingState(), t.issuingState());
        g.drawString(state, px(visa ? 6 : 38), px(7));
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, px(2.4)));
        String title = visa ? "VISA" : t.format() == MrzFormat.TD3 ? "PASSPORT / PASSEPORT" : "IDENTITY CARD / CARTE D'IDENTITÉ";
        g.drawString(title, px(visa ? 6 : 38), px(11));
        int photoW = visa ? px(26) : t.format() == MrzFormat.TD3 ? px(32) : px(27);
        int photoH = (int) (photoW * 45.0 / 35);
        int photoY = px(visa ? 14 : 15);
        photoH = Math.min(photoH, zoneTop - photoY - px(2));
        int face = rnd.nextInt(2);
        portrait(g, face, rnd.nextInt(3) == 0, px(4), photoY, photoW, photoH, 1f);
        int x = px(4) + photoW + px(5);
        int y = px(visa ? 15 : 16);
        int step = px(visa ? 6.0 : t.format() == MrzFormat.TD3 ? 6.6 : 6.0);
        int col2 = x + (w - x) / 2;
        String given = t.printedName().contains(", ") ? t.printedName().substring(t.printedName().indexOf(", ") + 2) : "";
        String surname = t.printedName().contains(", ") ? t.printedName().substring(0, t.printedName().indexOf(", "))
                : t.printedName();
        field(g, "Type/Type", t.documentType(), x, y);
        field(g, "Code/Code", t.issuingState(), x + px(18), y);
        field(g, visa ? "Number/Numéro" : "Document No./N° du document", t.documentNumber(), col2, y);
        y += step;
        field(g, "Surname/Nom", surname, x, y);
        y += step;
        if (!given.isEmpty()) {
            field(g, "Given names/Prénoms", given.toUpperCase(Locale.ROOT), x, y);
        }
        y += step;
        field(g, "Nationality/Nationalité", t.nationality(), x, y);
        field(g, "Sex/Sexe", t.sex(), col2, y);
        y += step;
        if (y + step < zoneTop) {
            field(g, "Date of birth/Date de naissance", printed(t.birthDate()), x, y);
            field(g, "Date of expiry/Date d'expiration", printed(t.expiryDate()), col2, y);
            y += step;
        }
        if (y + step < zoneTop) {
            field(g, "Authority/Autorité", visa ? "CONSULATE GENERAL" : "PASSPORT OFFICE", x, y);
            if (!visa) {
                g.setFont(new Font(Font.SERIF, Font.ITALIC, px(3.2)));
                g.setColor(new Color(20, 30, 110));
                g.drawString(given.isEmpty() ? surname : given.split(" ")[0] + " " + surname, col2, y + px(3));
            }
        }
        if (!visa && w - px(22) > col2) {
            // The ghost image: a faded second portrait.
            portrait(g, face, true, w - px(18), px(16), px(14), px(18), 0.22f);
        }
    }

    private static void cardBack(Graphics2D g, Truth t, int w, int zoneTop, Random rnd) {
        g.setColor(new Color(25, 30, 70));
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, px(2.2)));
        g.drawString(STATE_NAMES.getOrDefault(t.issuingState(), t.issuingState()), px(4), px(5));
        field(g, "Address/Adresse", (rnd.nextInt(90) + 1) + " RUE DE LA PAIX, ZENITH", px(4), px(9));
        field(g, "Date of issue/Date de délivrance", printed(t.expiryDate().minusYears(10)), px(4), px(16));
        field(g, "Authority/Autorité", "PREFECTURE", px(4), px(23));
        field(g, "Height/Taille", (150 + rnd.nextInt(50)) + " cm", px(44), px(16));
        // A small ghost portrait and a two-dimensional barcode block.
        portrait(g, rnd.nextInt(2), true, w - px(17), px(3), px(13), px(16), 0.35f);
        g.setColor(new Color(30, 30, 30));
        int cell = px(0.55);
        for (int yy = 0; yy < 14; yy++) {
            for (int xx = 0; xx < 22; xx++) {
                if (rnd.nextBoolean()) {
                    g.fillRect(px(50) + xx * cell, px(23) + yy * cell, cell, cell);
                }
            }
        }
        if (zoneTop < px(31)) {
            throw new IllegalStateException("TD1 back too small");
        }
    }

    private static void mrz(Graphics2D g, Truth t, int w, int h) {
        double pitch = 2.54 * PX_PER_MM;
        Font f = ocrb().deriveFont((float) (3.5 * PX_PER_MM));
        g.setFont(f);
        g.setColor(new Color(12, 12, 14));
        int n = t.format().length();
        double x0 = (w - n * pitch) / 2;
        double lineGap = (t.format() == MrzFormat.TD1 ? 4.2 : 4.3) * PX_PER_MM;
        double baseline = h - 4.0 * PX_PER_MM - (t.lines().size() - 1) * lineGap;
        for (String line : t.lines()) {
            for (int i = 0; i < line.length(); i++) {
                String c = String.valueOf(line.charAt(i));
                int adv = g.getFontMetrics().stringWidth(c);
                g.drawString(c, (float) (x0 + i * pitch + (pitch - adv) / 2), (float) baseline);
            }
            baseline += lineGap;
        }
    }
}
