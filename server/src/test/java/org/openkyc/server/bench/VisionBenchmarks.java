package org.openkyc.server.bench;

import java.time.Clock;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openkyc.server.config.VisionConfig;
import org.openkyc.server.document.DocumentQuality;
import org.openkyc.server.document.DocumentReading;
import org.openkyc.server.document.ImageIntake;
import org.openkyc.server.document.IntakeImage;
import org.openkyc.server.document.MrzFormat;
import org.openkyc.server.document.OpenCvDocumentReader;
import org.openkyc.server.document.SyntheticDocuments;
import org.openkyc.server.face.DetectedFace;
import org.openkyc.server.face.FaceAnalyzer;
import org.openkyc.server.face.FaceImages;
import org.openkyc.server.face.OpenCvFaceEngine;
import org.openkyc.server.face.SelfieAnalysis;
import org.openkyc.server.vision.TestVision;

/**
 * Per-image times of the vision engines, single-threaded (OpenCV limited to one
 * thread). Run as BENCHMARKS.md says.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class VisionBenchmarks {

    private VisionConfig config;
    private ImageIntake intake;
    private DocumentQuality quality;
    private OpenCvDocumentReader reader;
    private OpenCvFaceEngine faces;
    private FaceAnalyzer analyzer;
    private byte[] specimen;
    private byte[] syntheticTd3;
    private byte[] syntheticTd1;
    private Mat selfie;
    private byte[] selfieJpeg;
    private DetectedFace selfieFace;

    @Setup
    public void setUp() {
        opencv_core.setNumThreads(1);
        config = TestVision.config();
        intake = new ImageIntake(config);
        quality = new DocumentQuality();
        reader = new OpenCvDocumentReader(config, Clock.systemUTC());
        faces = new OpenCvFaceEngine(config);
        analyzer = faces.analyzer();
        specimen = TestVision.resource("passport-td3-specimen.png");
        Random rnd = new Random(1);
        syntheticTd3 = SyntheticDocuments.degrade(SyntheticDocuments.render(
                SyntheticDocuments.randomIdentity(rnd, MrzFormat.TD3), null, rnd), SyntheticDocuments.LEVELS.get(7), rnd);
        syntheticTd1 = SyntheticDocuments.degrade(SyntheticDocuments.render(
                SyntheticDocuments.randomIdentity(rnd, MrzFormat.TD1), null, rnd), SyntheticDocuments.LEVELS.get(7), rnd);
        selfie = FaceImages.selfie720(FaceImages.hopper(), 60, 0, 1.1);
        selfieJpeg = FaceImages.encode(selfie, ".jpg", 90);
        selfieFace = analyzer.detect(selfie).get(0);
        check();
    }

    private void check() {
        for (byte[] doc : List.of(specimen, syntheticTd3, syntheticTd1)) {
            DocumentReading r = reader.read(doc);
            if (r.mrz().isEmpty() || !r.mrz().get().valid()) {
                throw new IllegalStateException("benchmark document not read: " + r.mrzStatus());
            }
        }
    }

    @TearDown
    public void tearDown() {
        reader.close();
        faces.close();
        selfie.close();
    }

    /** Intake (sniff, limits, decode) and every quality score of the ICAO specimen. */
    @Benchmark
    public Object intakeAndQualitySpecimen() {
        try (IntakeImage img = intake.decode(specimen); DocumentQuality.Assessment a = quality.assess(img.bgr())) {
            return a.report();
        }
    }

    /** The whole document read (intake, quality, MRZ locate, OCR, parse) of the ICAO specimen. */
    @Benchmark
    public DocumentReading documentReadSpecimen() {
        return reader.read(specimen);
    }

    /** The same on a synthetic degraded TD3 (rotated 4 degrees, blurred, noisy, JPEG 40). */
    @Benchmark
    public DocumentReading documentReadSyntheticTd3() {
        return reader.read(syntheticTd3);
    }

    /** The same on a synthetic degraded TD1 (three lines). */
    @Benchmark
    public DocumentReading documentReadSyntheticTd1() {
        return reader.read(syntheticTd1);
    }

    /** Detection with landmarks and the embedding of the main face, on a decoded 1280 x 720 selfie. */
    @Benchmark
    public float[] detectAndEmbed720p() {
        List<DetectedFace> f = analyzer.detect(selfie);
        return analyzer.embed(selfie, f.get(0));
    }

    /** Passive liveness alone on a known face. */
    @Benchmark
    public double passiveLiveness720p() {
        return analyzer.liveness(selfie, selfieFace);
    }

    /** Detection, landmarks, embedding and passive liveness: the selfie path on decoded pixels. */
    @Benchmark
    public SelfieAnalysis detectEmbedLiveness720p() {
        return faces.analyzeSelfie(selfie);
    }

    /** The selfie path from JPEG bytes (intake and decoding included). */
    @Benchmark
    public SelfieAnalysis selfieFromJpeg720p() {
        return faces.analyzeSelfie(selfieJpeg);
    }
}
