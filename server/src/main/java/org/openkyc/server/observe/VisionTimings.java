package org.openkyc.server.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.openkyc.server.document.DocumentReader;
import org.openkyc.server.document.DocumentReading;
import org.openkyc.server.face.FaceEngine;
import org.openkyc.server.face.FaceMatch;
import org.openkyc.server.face.Portrait;
import org.openkyc.server.face.SelfieAnalysis;
import org.openkyc.server.liveness.ChallengeAction;
import org.openkyc.server.liveness.ChallengeResult;
import org.openkyc.server.liveness.LivenessVerdict;
import org.openkyc.server.liveness.VideoLivenessVerifier;

/**
 * The vision engines measured from outside: {@code openkyc_vision_stage_seconds} (histogram) by stage and
 * outcome ({@code ok} or {@code error}), and {@code openkyc_liveness_outcomes_total} by reason of each video
 * liveness verdict, and a span per stage when tracing is on. The engines themselves know nothing of either.
 */
public final class VisionTimings {

    private final MeterRegistry registry;
    private final Tracing tracing;

    public VisionTimings(MeterRegistry registry) {
        this(registry, Tracing.start(org.openkyc.server.config.TracingConfig.OFF));
    }

    /** Timings that are spans too, when tracing is on. */
    public VisionTimings(MeterRegistry registry, Tracing tracing) {
        this.registry = registry;
        this.tracing = tracing;
    }

    <T> T time(String stage, Supplier<T> work) {
        long start = System.nanoTime();
        String outcome = "error";
        try {
            T result = tracing.stage(stage, work);
            outcome = "ok";
            return result;
        } finally {
            Timer.builder(Telemetry.PREFIX + "vision.stage")
                    .description("Time of each vision stage (document read, face, liveness)")
                    .tag("stage", stage)
                    .tag("outcome", outcome)
                    .register(registry)
                    .record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    void livenessOutcome(String scope, boolean passed, Enum<?> reason) {
        Counter.builder(Telemetry.PREFIX + "liveness.outcomes")
                .description("Video liveness outcomes, by scope (video, verdict) and reason")
                .tag("scope", scope)
                .tag("passed", Boolean.toString(passed))
                .tag("reason", reason == null ? "none" : reason.name().toLowerCase(java.util.Locale.ROOT))
                .register(registry)
                .increment();
    }

    public DocumentReader documents(DocumentReader reader) {
        return new DocumentReader() {
            @Override
            public DocumentReading read(byte[] image) {
                return time("document_read", () -> reader.read(image));
            }

            @Override
            public Optional<LocalDate> readIssueDate(byte[] image) {
                return time("document_issue_date", () -> reader.readIssueDate(image));
            }

            @Override
            public Optional<LocalDate> readIssueDate(byte[] image, Optional<LocalDate> expiry) {
                return time("document_issue_date", () -> reader.readIssueDate(image, expiry));
            }

            @Override
            public void close() {
                reader.close();
            }
        };
    }

    public FaceEngine faces(FaceEngine engine) {
        return new FaceEngine() {
            @Override
            public SelfieAnalysis analyzeSelfie(byte[] image) {
                return time("face_selfie", () -> engine.analyzeSelfie(image));
            }

            @Override
            public Optional<Portrait> portraitFromDocument(byte[] documentImage) {
                return time("face_portrait", () -> engine.portraitFromDocument(documentImage));
            }

            @Override
            public FaceMatch compare(float[] a, float[] b) {
                return engine.compare(a, b);
            }

            @Override
            public FaceMatch matchSelfieToDocument(byte[] selfie, byte[] documentImage) {
                return time("face_match", () -> engine.matchSelfieToDocument(selfie, documentImage));
            }

            @Override
            public void close() {
                engine.close();
            }
        };
    }

    public VideoLivenessVerifier liveness(VideoLivenessVerifier verifier) {
        return new VideoLivenessVerifier() {
            @Override
            public ChallengeResult verify(ChallengeAction action, byte[] video) {
                ChallengeResult r = time("liveness_video", () -> verifier.verify(action, video));
                livenessOutcome("video", r.passed(), r.reason());
                return r;
            }

            @Override
            public LivenessVerdict verifyAll(List<Challenge> challenges, Optional<float[]> reference) {
                LivenessVerdict v = time("liveness_verdict", () -> verifier.verifyAll(challenges, reference));
                livenessOutcome("verdict", v.passed(), v.reason());
                return v;
            }

            @Override
            public void close() {
                verifier.close();
            }
        };
    }
}
