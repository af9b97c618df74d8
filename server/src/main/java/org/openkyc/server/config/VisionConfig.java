package org.openkyc.server.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Configuration of the document, face and liveness engines: where the models and
 * OCR data are, and the limits on uploaded images and videos. Immutable and
 * validated at construction; part of {@link ServerConfig}.
 *
 * <p>Model files default to {@code <OPENKYC_MODEL_DIR>/fr_*.onnx}; each can be
 * overridden (OPENKYC_MODEL_DETECTOR, ..._LANDMARK, ..._EMBEDDING, ..._LIVENESS,
 * ..._EYE, ..._POSE, ..._EXPRESSION) so an operator can swap a model without a
 * code change, as long as the replacement keeps the input and output layout.
 */
public final class VisionConfig {

    private final Path modelDir;
    private final Path tessdataDir;
    private final String mrzLanguage;
    private final Path detectorModel;
    private final Path landmarkModel;
    private final Path embeddingModel;
    private final Path livenessModel;
    private final Path eyeModel;
    private final Path poseModel;
    private final Path expressionModel;
    private final long maxImageBytes;
    private final long maxImagePixels;
    private final int minImageSide;
    private final int maxImageSide;
    private final double maxImageAspectRatio;
    private final int visionConcurrency;
    private final int visionQueue;
    private final long visionQueueTimeoutMs;
    private final long maxVideoBytes;
    private final long maxVideoPixels;
    private final double maxVideoSeconds;
    private final double faceMatchThreshold;
    private final double livenessThreshold;
    // Document reader: how sure a name must be to be presented as read
    private final double mrzNameMinConfidence;

    private VisionConfig(Builder b) {
        this.modelDir = Objects.requireNonNull(b.modelDir, "OPENKYC_MODEL_DIR");
        this.tessdataDir = Objects.requireNonNull(b.tessdataDir, "OPENKYC_TESSDATA_DIR");
        if (b.mrzLanguage == null || !b.mrzLanguage.matches("[A-Za-z0-9_]+")) {
            throw new IllegalArgumentException("OPENKYC_MRZ_LANGUAGE must be a traineddata name, e.g. ocrb_int");
        }
        this.mrzLanguage = b.mrzLanguage;
        this.detectorModel = orDefault(b.detectorModel, "fr_detect.onnx");
        this.landmarkModel = orDefault(b.landmarkModel, "fr_landmark.onnx");
        this.embeddingModel = orDefault(b.embeddingModel, "fr_feature.onnx");
        this.livenessModel = orDefault(b.livenessModel, "fr_liveness.onnx");
        this.eyeModel = orDefault(b.eyeModel, "fr_eye.onnx");
        this.poseModel = orDefault(b.poseModel, "fr_pose.onnx");
        this.expressionModel = orDefault(b.expressionModel, "fr_expression.onnx");
        if (b.maxImageBytes < 1024) {
            throw new IllegalArgumentException("OPENKYC_MAX_IMAGE_BYTES must be at least 1024");
        }
        this.maxImageBytes = b.maxImageBytes;
        if (b.maxImagePixels < 10_000) {
            throw new IllegalArgumentException("OPENKYC_MAX_IMAGE_PIXELS must be at least 10000");
        }
        this.maxImagePixels = b.maxImagePixels;
        if (b.minImageSide < 16) {
            throw new IllegalArgumentException("OPENKYC_MIN_IMAGE_SIDE must be at least 16");
        }
        this.minImageSide = b.minImageSide;
        if (b.maxImageSide < Math.max(b.minImageSide, 1000) || b.maxImageSide > 65_535) {
            throw new IllegalArgumentException("OPENKYC_MAX_IMAGE_SIDE must be between 1000 (and at least "
                    + "OPENKYC_MIN_IMAGE_SIDE) and 65535");
        }
        this.maxImageSide = b.maxImageSide;
        if (!(b.maxImageAspectRatio >= 2 && b.maxImageAspectRatio <= 100)) {
            throw new IllegalArgumentException("OPENKYC_MAX_IMAGE_ASPECT_RATIO must be in [2, 100]");
        }
        this.maxImageAspectRatio = b.maxImageAspectRatio;
        if (b.visionConcurrency < 1 || b.visionConcurrency > 1024) {
            throw new IllegalArgumentException("OPENKYC_VISION_CONCURRENCY must be between 1 and 1024");
        }
        this.visionConcurrency = b.visionConcurrency;
        if (b.visionQueue < 0 || b.visionQueue > 100_000) {
            throw new IllegalArgumentException("OPENKYC_VISION_QUEUE must be between 0 and 100000");
        }
        this.visionQueue = b.visionQueue;
        if (b.visionQueueTimeoutMs < 0 || b.visionQueueTimeoutMs > 600_000) {
            throw new IllegalArgumentException("OPENKYC_VISION_QUEUE_TIMEOUT_MS must be between 0 and 600000");
        }
        this.visionQueueTimeoutMs = b.visionQueueTimeoutMs;
        if (b.maxVideoBytes < 1024) {
            throw new IllegalArgumentException("OPENKYC_MAX_VIDEO_BYTES must be at least 1024");
        }
        this.maxVideoBytes = b.maxVideoBytes;
        long videoPixels = b.maxVideoPixels > 0 ? b.maxVideoPixels : Math.min(DEFAULT_MAX_VIDEO_PIXELS, b.maxImagePixels);
        if (videoPixels < 76_800 || videoPixels > b.maxImagePixels) {
            throw new IllegalArgumentException("OPENKYC_MAX_VIDEO_PIXELS must be between 76800 (320 x 240) and "
                    + "OPENKYC_MAX_IMAGE_PIXELS");
        }
        this.maxVideoPixels = videoPixels;
        if (!(b.maxVideoSeconds > 0.5 && b.maxVideoSeconds <= 120)) {
            throw new IllegalArgumentException("OPENKYC_MAX_VIDEO_SECONDS must be in (0.5, 120]");
        }
        this.maxVideoSeconds = b.maxVideoSeconds;
        if (!(b.faceMatchThreshold > 0 && b.faceMatchThreshold < 100)) {
            throw new IllegalArgumentException("OPENKYC_FACE_MATCH_THRESHOLD must be in (0, 100)");
        }
        this.faceMatchThreshold = b.faceMatchThreshold;
        if (!(b.livenessThreshold > 0 && b.livenessThreshold < 100)) {
            throw new IllegalArgumentException("OPENKYC_LIVENESS_THRESHOLD must be in (0, 100)");
        }
        this.livenessThreshold = b.livenessThreshold;
        // Document reader: how sure a name must be to be presented as read
        if (!(b.mrzNameMinConfidence >= 0 && b.mrzNameMinConfidence <= 1)) {
            throw new IllegalArgumentException("OPENKYC_MRZ_NAME_MIN_CONFIDENCE must be in [0, 1]");
        }
        this.mrzNameMinConfidence = b.mrzNameMinConfidence;
    }

    private Path orDefault(Path p, String name) {
        return p != null ? p : modelDir.resolve(name);
    }

    /**
     * Reads OPENKYC_MODEL_DIR (default {@code <cache>/models}), OPENKYC_TESSDATA_DIR
     * (default {@code <cache>/tessdata}), where {@code <cache>} is OPENKYC_CACHE_DIR
     * (default {@code .cache}); OPENKYC_MRZ_LANGUAGE (default ocrb_int, eng as fallback
     * when absent); the per-model overrides; OPENKYC_MAX_IMAGE_BYTES (10 MB),
     * OPENKYC_MAX_IMAGE_PIXELS (40 MP), OPENKYC_MIN_IMAGE_SIDE (100 px: a card scanned 150 px tall is still read, enlarged),
     * OPENKYC_MAX_IMAGE_SIDE (12000 px), OPENKYC_MAX_IMAGE_ASPECT_RATIO (8, long side over short side),
     * OPENKYC_VISION_CONCURRENCY (heavy calls analysed at once, default the available processors),
     * OPENKYC_VISION_QUEUE (heavy calls waiting for a turn, default twice the concurrency),
     * OPENKYC_VISION_QUEUE_TIMEOUT_MS (longest wait for a turn, default 10000),
     * OPENKYC_MAX_VIDEO_BYTES (30 MB), OPENKYC_MAX_VIDEO_SECONDS (15),
     * OPENKYC_MAX_VIDEO_PIXELS (pixels of one video frame, default 3840 x 2160 or the image limit if lower),
     * OPENKYC_FACE_MATCH_THRESHOLD (0-100 score, default 60),
     * OPENKYC_LIVENESS_THRESHOLD (0-100 score, default 50),
     * OPENKYC_MRZ_NAME_MIN_CONFIDENCE (0-1, default 0.95: a name with a character OCR read less surely is
     * unsure and goes to a reviewer; 0 turns the rule off).
     */
    public static VisionConfig fromEnvironment(Map<String, String> env) {
        Path cache = Path.of(env.getOrDefault("OPENKYC_CACHE_DIR", ".cache"));
        return builder()
                .modelDir(EnvVars.path(env, "OPENKYC_MODEL_DIR", cache.resolve("models")))
                .tessdataDir(EnvVars.path(env, "OPENKYC_TESSDATA_DIR", cache.resolve("tessdata")))
                .mrzLanguage(env.getOrDefault("OPENKYC_MRZ_LANGUAGE", "ocrb_int"))
                .detectorModel(EnvVars.path(env, "OPENKYC_MODEL_DETECTOR", null))
                .landmarkModel(EnvVars.path(env, "OPENKYC_MODEL_LANDMARK", null))
                .embeddingModel(EnvVars.path(env, "OPENKYC_MODEL_EMBEDDING", null))
                .livenessModel(EnvVars.path(env, "OPENKYC_MODEL_LIVENESS", null))
                .eyeModel(EnvVars.path(env, "OPENKYC_MODEL_EYE", null))
                .poseModel(EnvVars.path(env, "OPENKYC_MODEL_POSE", null))
                .expressionModel(EnvVars.path(env, "OPENKYC_MODEL_EXPRESSION", null))
                .maxImageBytes(EnvVars.longVar(env, "OPENKYC_MAX_IMAGE_BYTES", 10L * 1024 * 1024))
                .maxImagePixels(EnvVars.longVar(env, "OPENKYC_MAX_IMAGE_PIXELS", 40_000_000L))
                .minImageSide((int) EnvVars.longVar(env, "OPENKYC_MIN_IMAGE_SIDE", DEFAULT_MIN_IMAGE_SIDE))
                .maxImageSide(EnvVars.intVar(env, "OPENKYC_MAX_IMAGE_SIDE", DEFAULT_MAX_IMAGE_SIDE))
                .maxImageAspectRatio(EnvVars.doubleVar(env, "OPENKYC_MAX_IMAGE_ASPECT_RATIO",
                        DEFAULT_MAX_IMAGE_ASPECT_RATIO))
                .visionConcurrency(EnvVars.intVar(env, "OPENKYC_VISION_CONCURRENCY", defaultConcurrency()))
                .visionQueue(EnvVars.intVar(env, "OPENKYC_VISION_QUEUE",
                        2 * EnvVars.intVar(env, "OPENKYC_VISION_CONCURRENCY", defaultConcurrency())))
                .visionQueueTimeoutMs(EnvVars.longVar(env, "OPENKYC_VISION_QUEUE_TIMEOUT_MS",
                        DEFAULT_VISION_QUEUE_TIMEOUT_MS))
                .maxVideoBytes(EnvVars.longVar(env, "OPENKYC_MAX_VIDEO_BYTES", 30L * 1024 * 1024))
                .maxVideoSeconds(EnvVars.doubleVar(env, "OPENKYC_MAX_VIDEO_SECONDS", 15))
                .maxVideoPixels(EnvVars.longVar(env, "OPENKYC_MAX_VIDEO_PIXELS", 0))
                .faceMatchThreshold(EnvVars.doubleVar(env, "OPENKYC_FACE_MATCH_THRESHOLD", 60))
                .livenessThreshold(EnvVars.doubleVar(env, "OPENKYC_LIVENESS_THRESHOLD", 50))
                .mrzNameMinConfidence(EnvVars.doubleVar(env, "OPENKYC_MRZ_NAME_MIN_CONFIDENCE",
                        DEFAULT_MRZ_NAME_MIN_CONFIDENCE))
                .build();
    }




    /** Small scans (a card 150 px tall, a page 400 px wide) are enlarged and read, not refused. */
    static final int DEFAULT_MIN_IMAGE_SIDE = 100;
    static final int DEFAULT_MAX_IMAGE_SIDE = 12_000;
    static final double DEFAULT_MAX_IMAGE_ASPECT_RATIO = 8;
    static final long DEFAULT_VISION_QUEUE_TIMEOUT_MS = 10_000;
    /** 4K UHD: more than any phone camera records a selfie video at; frames are analysed at 640 px. */
    static final long DEFAULT_MAX_VIDEO_PIXELS = 3840L * 2160;
    /** Names carry no check digit: below this OCR confidence on any of a name's characters it is unsure. */
    static final double DEFAULT_MRZ_NAME_MIN_CONFIDENCE = 0.95;

    static int defaultConcurrency() {
        return Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    /** Defaults for a given cache folder (tests, local runs). */
    public static VisionConfig forCacheDir(Path cacheDir) {
        return builder().modelDir(cacheDir.resolve("models")).tessdataDir(cacheDir.resolve("tessdata")).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().modelDir(modelDir).tessdataDir(tessdataDir).mrzLanguage(mrzLanguage)
                .detectorModel(detectorModel).landmarkModel(landmarkModel).embeddingModel(embeddingModel)
                .livenessModel(livenessModel).eyeModel(eyeModel).poseModel(poseModel)
                .expressionModel(expressionModel).maxImageBytes(maxImageBytes).maxImagePixels(maxImagePixels)
                .minImageSide(minImageSide).maxImageSide(maxImageSide).maxImageAspectRatio(maxImageAspectRatio)
                .visionConcurrency(visionConcurrency).visionQueue(visionQueue)
                .visionQueueTimeoutMs(visionQueueTimeoutMs).maxVideoBytes(maxVideoBytes).maxVideoPixels(maxVideoPixels).maxVideoSeconds(maxVideoSeconds)
                .faceMatchThreshold(faceMatchThreshold).livenessThreshold(livenessThreshold)
                .mrzNameMinConfidence(mrzNameMinConfidence);
    }

    public Path modelDir() { return modelDir; }
    public Path tessdataDir() { return tessdataDir; }
    public String mrzLanguage() { return mrzLanguage; }
    public Path detectorModel() { return detectorModel; }
    public Path landmarkModel() { return landmarkModel; }
    public Path embeddingModel() { return embeddingModel; }
    public Path livenessModel() { return livenessModel; }
    public Path eyeModel() { return eyeModel; }
    public Path poseModel() { return poseModel; }
    public Path expressionModel() { return expressionModel; }
    public long maxImageBytes() { return maxImageBytes; }
    public long maxImagePixels() { return maxImagePixels; }
    public int minImageSide() { return minImageSide; }
    /** Longest side an image (or video frame) may have, read from its header before decoding. */
    public int maxImageSide() { return maxImageSide; }
    /** Largest ratio of an image's long side to its short side. */
    public double maxImageAspectRatio() { return maxImageAspectRatio; }
    /** Heavy calls (document and face analysis) analysed at once. */
    public int visionConcurrency() { return visionConcurrency; }
    /** Heavy calls allowed to wait for a turn beyond {@link #visionConcurrency()}. */
    public int visionQueue() { return visionQueue; }
    /** Longest a heavy call waits for a turn before it is refused as busy. */
    public long visionQueueTimeoutMs() { return visionQueueTimeoutMs; }
    public long maxVideoBytes() { return maxVideoBytes; }
    /** Most pixels one video frame may have, read from the stream header before any frame is decoded. */
    public long maxVideoPixels() { return maxVideoPixels; }
    public double maxVideoSeconds() { return maxVideoSeconds; }
    public double faceMatchThreshold() { return faceMatchThreshold; }
    public double livenessThreshold() { return livenessThreshold; }
    /** Lowest OCR confidence (0-1) of a name's characters for the name to be presented as read. */
    public double mrzNameMinConfidence() { return mrzNameMinConfidence; }

    @Override
    public String toString() {
        return "VisionConfig{models=" + modelDir + ", tessdata=" + tessdataDir + ", mrz=" + mrzLanguage
                + ", maxImageBytes=" + maxImageBytes + ", maxImagePixels=" + maxImagePixels + ", maxImageSide=" + maxImageSide
                + ", maxImageAspectRatio=" + maxImageAspectRatio + ", visionConcurrency=" + visionConcurrency
                + ", visionQueue=" + visionQueue + ", visionQueueTimeoutMs=" + visionQueueTimeoutMs + "}";
    }

    /** Builder of {@link VisionConfig}; {@link #build()} validates. */
    public static final class Builder {
        private Path modelDir = Path.of(".cache/models");
        private Path tessdataDir = Path.of(".cache/tessdata");
        private String mrzLanguage = "ocrb_int";
        private Path detectorModel;
        private Path landmarkModel;
        private Path embeddingModel;
        private Path livenessModel;
        private Path eyeModel;
        private Path poseModel;
        private Path expressionModel;
        private long maxImageBytes = 10L * 1024 * 1024;
        private long maxImagePixels = 40_000_000L;
        private int minImageSide = DEFAULT_MIN_IMAGE_SIDE;
        private int maxImageSide = DEFAULT_MAX_IMAGE_SIDE;
        private double maxImageAspectRatio = DEFAULT_MAX_IMAGE_ASPECT_RATIO;
        private int visionConcurrency = defaultConcurrency();
        private int visionQueue = 2 * defaultConcurrency();
        private long visionQueueTimeoutMs = DEFAULT_VISION_QUEUE_TIMEOUT_MS;
        private long maxVideoBytes = 30L * 1024 * 1024;
        private long maxVideoPixels;  // 0: 3840 x 2160, or the image limit when lower
        private double maxVideoSeconds = 15;
        private double faceMatchThreshold = 60;
        private double livenessThreshold = 50;
        private double mrzNameMinConfidence = DEFAULT_MRZ_NAME_MIN_CONFIDENCE;

        public Builder modelDir(Path v) { this.modelDir = v; return this; }
        public Builder tessdataDir(Path v) { this.tessdataDir = v; return this; }
        public Builder mrzLanguage(String v) { this.mrzLanguage = v; return this; }
        public Builder detectorModel(Path v) { this.detectorModel = v; return this; }
        public Builder landmarkModel(Path v) { this.landmarkModel = v; return this; }
        public Builder embeddingModel(Path v) { this.embeddingModel = v; return this; }
        public Builder livenessModel(Path v) { this.livenessModel = v; return this; }
        public Builder eyeModel(Path v) { this.eyeModel = v; return this; }
        public Builder poseModel(Path v) { this.poseModel = v; return this; }
        public Builder expressionModel(Path v) { this.expressionModel = v; return this; }
        public Builder maxImageBytes(long v) { this.maxImageBytes = v; return this; }
        public Builder maxImagePixels(long v) { this.maxImagePixels = v; return this; }
        public Builder minImageSide(int v) { this.minImageSide = v; return this; }
        public Builder maxImageSide(int v) { this.maxImageSide = v; return this; }
        public Builder maxImageAspectRatio(double v) { this.maxImageAspectRatio = v; return this; }
        public Builder visionConcurrency(int v) { this.visionConcurrency = v; return this; }
        public Builder visionQueue(int v) { this.visionQueue = v; return this; }
        public Builder visionQueueTimeoutMs(long v) { this.visionQueueTimeoutMs = v; return this; }
        public Builder maxVideoBytes(long v) { this.maxVideoBytes = v; return this; }
        public Builder maxVideoPixels(long v) { this.maxVideoPixels = v; return this; }
        public Builder maxVideoSeconds(double v) { this.maxVideoSeconds = v; return this; }
        public Builder faceMatchThreshold(double v) { this.faceMatchThreshold = v; return this; }
        public Builder livenessThreshold(double v) { this.livenessThreshold = v; return this; }
        public Builder mrzNameMinConfidence(double v) { this.mrzNameMinConfidence = v; return this; }
        public VisionConfig build() { return new VisionConfig(this); }
    }
}
