package org.openkyc.launcher;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Random;
import java.util.function.Predicate;
import javax.imageio.ImageIO;
import org.openkyc.server.document.MrzFormat;
import org.openkyc.server.document.SyntheticDocuments;

/** Synthetic TD3 passports for the end-to-end tests: the zone holds and the expiry is comfortably ahead. */
final class TestPassports {

    private TestPassports() {}

    /** A passport as PNG whose holder's nationality passes {@code nationality}. */
    static byte[] png(long seed, Predicate<String> nationality) {
        Random rnd = new Random(seed);
        SyntheticDocuments.Identity who;
        do {
            who = SyntheticDocuments.randomIdentity(rnd, MrzFormat.TD3);
        } while (!who.expiry().isAfter(LocalDate.now(ZoneOffset.UTC).plusMonths(6))
                 || !nationality.test(who.nationality()));
        return SyntheticDocuments.render(who, null, new Random(seed));
    }

    /** A passport of an ISO country (not the specimen states UTO or D) as a JPEG, the way phones send them. */
    static byte[] jpeg(long seed) {
        try {
            BufferedImage png = ImageIO.read(new ByteArrayInputStream(
                    png(seed, n -> !"UTO".equals(n) && !"D".equals(n))));
            BufferedImage rgb = new BufferedImage(png.getWidth(), png.getHeight(), BufferedImage.TYPE_INT_RGB);
            rgb.getGraphics().drawImage(png, 0, 0, null);
            ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
            ImageIO.write(rgb, "jpg", jpeg);
            return jpeg.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
