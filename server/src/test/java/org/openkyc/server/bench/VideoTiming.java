package org.openkyc.server.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bytedeco.opencv.opencv_core.Mat;
import org.openkyc.server.config.VisionConfig;
import org.openkyc.server.face.FaceAnalyzer;
import org.openkyc.server.face.FaceImages;
import org.openkyc.server.liveness.ChallengeAction;
import org.openkyc.server.liveness.FaceVideoLivenessVerifier;
import org.openkyc.server.liveness.LivenessVerdict;
import org.openkyc.server.liveness.SyntheticVideos;
import org.openkyc.server.liveness.VideoLivenessVerifier.Challenge;
import org.openkyc.server.vision.TestVision;

/**
 * Wall time to verify three 3-second 1280 x 720 30 fps H.264 challenge videos,
 * sequentially and with the three videos in parallel. Usage: VideoTiming [rounds, default 5]
 */
public final class VideoTiming {

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        VisionConfig cfg = TestVision.config();
        try (FaceAnalyzer an = new FaceAnalyzer(cfg); FaceVideoLivenessVerifier v = new FaceVideoLivenessVerifier(cfg, an)) {
            Mat base = FaceImages.selfie720(FaceImages.hopper(), 0, 0, 1.1);
            List<List<Challenge>> sets = List.of(
                    List.of(ch(an, base, ChallengeAction.BLINK), ch(an, base, ChallengeAction.SMILE), ch(an, base, ChallengeAction.TURN_LEFT)),
                    List.of(ch(an, base, ChallengeAction.NOD), ch(an, base, ChallengeAction.OPEN_MOUTH), ch(an, base, ChallengeAction.TURN_RIGHT)));
            for (List<Challenge> set : sets) {
                String label = set.stream().map(c -> c.action().name()).toList().toString();
                LivenessVerdict warm = v.verifyAll(set, Optional.empty());
                List<Long> seq = new ArrayList<>();
                for (int r = 0; r < rounds; r++) {
                    long t0 = System.nanoTime();
                    LivenessVerdict verdict = v.verifyAll(set, Optional.empty());
                    seq.add((System.nanoTime() - t0) / 1_000_000);
                    if (!verdict.passed()) {
                        throw new IllegalStateException("not passed: " + verdict);
                    }
                }
                List<Long> par = new ArrayList<>();
                for (int r = 0; r < rounds; r++) {
                    long t0 = System.nanoTime();
                    set.parallelStream().map(c -> v.verify(c.action(), c.video())).toList();
                    par.add((System.nanoTime() - t0) / 1_000_000);
                }
                List<Long> dec = new ArrayList<>();
                for (int r = 0; r < rounds; r++) {
                    long t0 = System.nanoTime();
                    for (Challenge c : set) {
                        decodeOnly(c.video());
                    }
                    dec.add((System.nanoTime() - t0) / 1_000_000);
                }
                dec.sort(Long::compare);
                System.out.printf("decode only (3 videos, every frame converted at 640 px): median %d ms%n", dec.get(dec.size() / 2));
                seq.sort(Long::compare);
                par.sort(Long::compare);
                System.out.printf("| %s | %s | verifyAll median %d ms (min %d) | three verify calls on a parallel stream: median %d ms (min %d) | passed %s |%n",
                        label, set.stream().map(c -> c.video().length / 1024 + " KiB").toList(), seq.get(seq.size() / 2),
                        seq.get(0), par.get(par.size() / 2), par.get(0), warm.passed());
            }
        }
    }

    private static void decodeOnly(byte[] video) throws Exception {
        try (org.bytedeco.javacv.FFmpegFrameGrabber g = new org.bytedeco.javacv.FFmpegFrameGrabber(
                new java.io.ByteArrayInputStream(video), video.length)) {
            g.start();
            g.setImageWidth(640);
            g.setImageHeight(360);
            while (g.grabImage() != null) {
                // decode and convert every frame
            }
        }
    }

    private static Challenge ch(FaceAnalyzer an, Mat base, ChallengeAction a) {
        return new Challenge(a, SyntheticVideos.make(an, base, a, 3, 30, SyntheticVideos.Container.MP4));
    }
}
