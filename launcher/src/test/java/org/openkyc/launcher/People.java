package org.openkyc.launcher;

import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import javax.imageio.ImageIO;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.openkyc.server.document.MrzFormat;
import org.openkyc.server.document.SyntheticDocuments;
import org.openkyc.server.face.FaceAnalyzer;
import org.openkyc.server.face.FaceImages;
import org.openkyc.server.liveness.ChallengeAction;
import org.openkyc.server.liveness.SyntheticVideos;
import org.openkyc.server.vision.TestVision;

/**
 * The people of the end-to-end tests: two real faces (the astronaut and Grace Hopper, public domain
 * photos), passports rendered for an identity with the astronaut's portrait, and short challenge
 * videos rendered from either face (synthetic motion, see {@link SyntheticVideos}), each made once.
 */
final class People {

    static final byte[] ASTRONAUT = TestVision.resource("astronaut.png");
    static final byte[] HOPPER = TestVision.resource("grace_hopper.jpg");

    private static final double VIDEO_SECONDS = 2;
    private static final int VIDEO_FPS = 15;
    private static final Map<String, byte[]> VIDEOS = new ConcurrentHashMap<>();
    private static FaceAnalyzer analyzer;
    private static Mat astronaut;
    private static Mat hopper;

    private People() {}

    /** A person and the passport rendered for them (Dutch, TD3, valid for six more years). */
    record Person(SyntheticDocuments.Identity id, byte[] passport) {
        String name() {
            return id.givenNames() + " " + id.surname();
        }

        String gender() {
            return id.sex().equals("F") ? "female" : "male";
        }
    }

    /** A passport whose machine-readable zone holds, with the astronaut's portrait. */
    static Person person(String surname, String given, String number, LocalDate birth) {
        LocalDate expiry = LocalDate.now().plusYears(6).withDayOfMonth(15);
        List<String> lines = SyntheticDocuments.mrzLines(MrzFormat.TD3, "P", "NLD", surname, given, number, "NLD",
                birth, "F", expiry, "");
        SyntheticDocuments.Identity id = new SyntheticDocuments.Identity(MrzFormat.TD3, "P", "NLD", surname, given,
                number, "NLD", birth, "F", expiry, "", lines);
        try {
            return new Person(id, SyntheticDocuments.render(id, ImageIO.read(new ByteArrayInputStream(ASTRONAUT)),
                    new Random(number.hashCode())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A short video of the astronaut ("astronaut") or Grace Hopper ("hopper") doing the action; null: a still face. */
    static synchronized byte[] video(String who, ChallengeAction action) {
        if (analyzer == null) {
            analyzer = new FaceAnalyzer(TestVision.config());
            astronaut = frame(FaceImages.astronaut());
            hopper = frame(FaceImages.hopper());
        }
        return VIDEOS.computeIfAbsent(who + "/" + action, k -> SyntheticVideos.make(analyzer,
                "hopper".equals(who) ? hopper : astronaut, action, VIDEO_SECONDS, VIDEO_FPS,
                SyntheticVideos.Container.MP4));
    }

    static List<byte[]> videos(String who, List<ChallengeAction> actions) {
        return actions.stream().map(a -> video(who, a)).toList();
    }

    /** A portrait placed in a 640 x 360 frame, as the engine tests do. */
    private static Mat frame(Mat face) {
        Mat big = FaceImages.selfie720(face, 0, 0, 1.1);
        Mat small = new Mat();
        resize(big, small, new Size(640, 360), 0, 0, INTER_AREA);
        big.close();
        return small;
    }
}
