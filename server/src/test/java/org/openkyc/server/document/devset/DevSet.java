package org.openkyc.server.document.devset;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Random;
import java.util.function.Consumer;
import javax.imageio.ImageIO;
import org.openkyc.server.document.MrzFormat;
import org.openkyc.server.vision.TestVision;

/**
 * The document development set: N documents, each put through every {@link Condition}. Document 0 is
 * the ICAO specimen image; the others cycle through the TD3, TD1, TD2, MRV-A and MRV-B layouts with
 * varied holders ({@link Identities}). The same document appears under every condition, so a condition's
 * figures differ from the clean baseline's by the condition alone. Deterministic: the same seed and index
 * give the same bytes, and a smaller set is the start of a larger one.
 */
public final class DevSet {

    /** The seed of the figures in BENCHMARKS.md. */
    public static final long SEED = 20261206L;

    private static final MrzFormat[] CYCLE = {MrzFormat.TD3, MrzFormat.TD1, MrzFormat.TD2, MrzFormat.MRV_A,
        MrzFormat.MRV_B};

    /** One image of the set and its truth. */
    public record Sample(Condition condition, int index, Truth truth, Condition.Image image) {
        /** A stable file name, e.g. {@code phone-perspective/07-TD1.jpg}. */
        public String file() {
            return String.format("%s/%02d-%s.%s", condition.label(), index, truth.layout(), image.extension());
        }
    }

    private DevSet() {}

    /** The truth of document {@code index}. */
    public static Truth truth(long seed, int index) {
        if (index == 0) {
            return Truth.SPECIMEN;
        }
        return Identities.random(documentRandom(seed, index), CYCLE[(index - 1) % CYCLE.length]);
    }

    private static Random documentRandom(long seed, int index) {
        return new Random(seed * 1_000_003L + index);
    }

    /** Generates documents 0..documents-1 under every condition, document by document. */
    public static void forEach(long seed, int documents, Consumer<Sample> sink) {
        for (int i = 0; i < documents; i++) {
            Truth t;
            Renderer.Page page;
            byte[] original = null;
            if (i == 0) {
                t = Truth.SPECIMEN;
                original = TestVision.resource("passport-td3-specimen.png");
                page = specimenPage(original);
            } else {
                Random rnd = documentRandom(seed, i);
                t = Identities.random(rnd, CYCLE[(i - 1) % CYCLE.length]);
                page = Renderer.render(t, rnd);
            }
            for (Condition c : Condition.values()) {
                Random rnd = new Random(seed * 31 + c.ordinal() * 1_000_033L + i);
                sink.accept(new Sample(c, i, t, c.apply(page, original, i, rnd)));
            }
        }
    }

    private static Renderer.Page specimenPage(byte[] png) {
        try {
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
            BufferedImage mask = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
            Graphics2D g = mask.createGraphics();
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, img.getWidth(), img.getHeight());
            g.dispose();
            return new Renderer.Page(img, mask);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
