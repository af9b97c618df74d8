package org.openkyc.server.face;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_QUALITY;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;

import java.util.Optional;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.openkyc.server.config.VisionConfig;
import org.openkyc.server.document.ImageIntake;
import org.openkyc.server.document.IntakeImage;
import org.openkyc.server.error.DomainException;
import org.openkyc.server.error.ErrorCode;

/**
 * {@link FaceEngine} on the ONNX face models of {@link FaceAnalyzer}. Thread-safe;
 * models are loaded once in the constructor.
 */
public final class OpenCvFaceEngine implements FaceEngine {

    private final ImageIntake intake;
    private final FaceAnalyzer analyzer;
    private final double matchThreshold;
    private final double livenessThreshold;

    public OpenCvFaceEngine(VisionConfig config) {
        this(config, new FaceAnalyzer(config));
    }

    public OpenCvFaceEngine(VisionConfig config, FaceAnalyzer analyzer) {
        this.intake = new ImageIntake(config);
        this.analyzer = analyzer;
        this.matchThreshold = config.faceMatchThreshold();
        this.livenessThreshold = config.livenessThreshold();
    }

    /** The models, for callers that work on decoded frames (video liveness). */
    public FaceAnalyzer analyzer() {
        return analyzer;
    }

    @Override
    public SelfieAnalysis analyzeSelfie(byte[] image) {
        try (IntakeImage img = intake.decode(image)) {
            return analyzeSelfie(img.bgr());
        }
    }

    /** As {@link #analyzeSelfie(byte[])} on a decoded BGR image. */
    public SelfieAnalysis analyzeSelfie(Mat bgr) {
        // Not the largest box: the detector can fire on a blurred face-like shape in the
        // background, larger than the person in focus (see FacePlausibility).
        FacePlausibility.Resolution r = FacePlausibility.resolve(bgr, analyzer.detect(bgr));
        if (r.primary() == null) {
            return new SelfieAnalysis(0, null, null, Double.NaN, livenessThreshold, false);
        }
        DetectedFace main = r.primary();
        float[] emb = analyzer.embed(bgr, main);
        double live = Math.round(analyzer.liveness(bgr, main) * 10000) / 100.0;
        return new SelfieAnalysis(r.personCount(), main, emb, live, livenessThreshold, live >= livenessThreshold);
    }

    @Override
    public Optional<Portrait> portraitFromDocument(byte[] documentImage) {
        try (IntakeImage img = intake.decode(documentImage)) {
            return portraitFromDocument(img.bgr());
        }
    }

    /** As {@link #portraitFromDocument(byte[])} on a decoded BGR image. */
    public Optional<Portrait> portraitFromDocument(Mat bgr) {
        // The holder's portrait is the largest plausible face: ghost images are smaller, and a
        // blurred or malformed detection does not count (FacePlausibility).
        DetectedFace f = FacePlausibility.resolve(bgr, analyzer.detect(bgr)).primary();
        if (f == null) {
            return Optional.empty();
        }
        float[] emb = analyzer.embed(bgr, f);
        int x = (int) Math.max(0, f.x() - f.width() / 2);
        int y = (int) Math.max(0, f.y() - f.height() / 2);
        int w = (int) Math.min(bgr.cols() - x, f.width() * 2);
        int h = (int) Math.min(bgr.rows() - y, f.height() * 2);
        byte[] jpeg;
        try (Mat roi = new Mat(bgr, new Rect(x, y, w, h)); BytePointer out = new BytePointer()) {
            imencode(".jpg", roi, out, new IntPointer(IMWRITE_JPEG_QUALITY, 92));
            jpeg = new byte[(int) out.limit()];
            out.get(jpeg);
        }
        return Optional.of(new Portrait(f, emb, jpeg));
    }

    @Override
    public FaceMatch compare(float[] a, float[] b) {
        double cos = FaceAnalyzer.cosine(a, b);
        double score = SimilarityScale.score(cos);
        return new FaceMatch(Math.round(cos * 10000) / 10000.0, score, matchThreshold, score >= matchThreshold);
    }

    @Override
    public FaceMatch matchSelfieToDocument(byte[] selfie, byte[] documentImage) {
        SelfieAnalysis s = analyzeSelfie(selfie);
        if (s.face() == null) {
            throw new DomainException(ErrorCode.UNPROCESSABLE_IMAGE, "No face found in the selfie");
        }
        Portrait p = portraitFromDocument(documentImage)
                .orElseThrow(() -> new DomainException(ErrorCode.UNPROCESSABLE_IMAGE, "No portrait found on the document"));
        return compare(s.embedding(), p.embedding());
    }

    @Override
    public void close() {
        analyzer.close();
    }
}
