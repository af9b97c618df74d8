package org.openkyc.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VisionConfigTest {

    @Test
    void defaultsPointIntoTheCacheFolder() {
        VisionConfig c = VisionConfig.fromEnvironment(Map.of("OPENKYC_CACHE_DIR", "/srv/cache"));
        assertThat(c.modelDir()).isEqualTo(Path.of("/srv/cache/models"));
        assertThat(c.tessdataDir()).isEqualTo(Path.of("/srv/cache/tessdata"));
        assertThat(c.detectorModel()).isEqualTo(Path.of("/srv/cache/models/fr_detect.onnx"));
        assertThat(c.embeddingModel()).isEqualTo(Path.of("/srv/cache/models/fr_feature.onnx"));
        assertThat(c.mrzLanguage()).isEqualTo("ocrb_int");
        assertThat(c.maxImageBytes()).isEqualTo(10L * 1024 * 1024);
        assertThat(c.maxImagePixels()).isEqualTo(40_000_000L);
        assertThat(c.faceMatchThreshold()).isEqualTo(60);
        assertThat(c.livenessThreshold()).isEqualTo(50);
    }

    @Test
    void theNameConfidenceFloorHasADefaultAndNamesItsVariable() {
        assertThat(VisionConfig.fromEnvironment(Map.of()).mrzNameMinConfidence()).isEqualTo(0.95);
        VisionConfig c = VisionConfig.fromEnvironment(Map.of("OPENKYC_MRZ_NAME_MIN_CONFIDENCE", "0.9"));
        assertThat(c.mrzNameMinConfidence()).isEqualTo(0.9);
        assertThat(c.toBuilder().build().mrzNameMinConfidence()).isEqualTo(0.9);
        assertThat(VisionConfig.fromEnvironment(Map.of("OPENKYC_MRZ_NAME_MIN_CONFIDENCE", "0"))
                .mrzNameMinConfidence()).isZero();
        for (String bad : new String[] {"1.5", "-0.1", "high"}) {
            assertThatThrownBy(() -> VisionConfig.fromEnvironment(Map.of("OPENKYC_MRZ_NAME_MIN_CONFIDENCE", bad)))
                    .hasMessageContaining("OPENKYC_MRZ_NAME_MIN_CONFIDENCE");
        }
    }

    @Test
    void everyModelCanBeSwappedByConfiguration() {
        VisionConfig c = VisionConfig.fromEnvironment(Map.of(
                "OPENKYC_MODEL_DIR", "/m",
                "OPENKYC_MODEL_DETECTOR", "/other/yunet.onnx",
                "OPENKYC_MODEL_EMBEDDING", "/other/sface.onnx",
                "OPENKYC_TESSDATA_DIR", "/t",
                "OPENKYC_MRZ_LANGUAGE", "eng",
                "OPENKYC_MAX_IMAGE_BYTES", "2000000",
                "OPENKYC_FACE_MATCH_THRESHOLD", "70"));
        assertThat(c.detectorModel()).isEqualTo(Path.of("/other/yunet.onnx"));
        assertThat(c.embeddingModel()).isEqualTo(Path.of("/other/sface.onnx"));
        assertThat(c.livenessModel()).isEqualTo(Path.of("/m/fr_liveness.onnx"));
        assertThat(c.tessdataDir()).isEqualTo(Path.of("/t"));
        assertThat(c.mrzLanguage()).isEqualTo("eng");
        assertThat(c.maxImageBytes()).isEqualTo(2_000_000);
        assertThat(c.faceMatchThreshold()).isEqualTo(70);
    }

    @Test
    void badValuesNameTheVariable() {
        assertThatThrownBy(() -> VisionConfig.fromEnvironment(Map.of("OPENKYC_MAX_IMAGE_BYTES", "lots")))
                .hasMessageContaining("OPENKYC_MAX_IMAGE_BYTES");
        assertThatThrownBy(() -> VisionConfig.fromEnvironment(Map.of("OPENKYC_FACE_MATCH_THRESHOLD", "140")))
                .hasMessageContaining("OPENKYC_FACE_MATCH_THRESHOLD");
        assertThatThrownBy(() -> VisionConfig.fromEnvironment(Map.of("OPENKYC_MRZ_LANGUAGE", "../etc/passwd")))
                .hasMessageContaining("OPENKYC_MRZ_LANGUAGE");
        assertThatThrownBy(() -> VisionConfig.fromEnvironment(Map.of("OPENKYC_MAX_VIDEO_SECONDS", "0")))
                .hasMessageContaining("OPENKYC_MAX_VIDEO_SECONDS");
    }

    @Test
    void imageShapeVideoAndConcurrencyLimitsHaveDefaultsAndNameTheirVariable() {
        VisionConfig d = VisionConfig.fromEnvironment(Map.of());
        assertThat(d.maxImageSide()).isEqualTo(12_000);
        assertThat(d.maxImageAspectRatio()).isEqualTo(8);
        assertThat(d.maxVideoPixels()).isEqualTo(3840L * 2160);
        assertThat(d.visionConcurrency()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(d.visionQueue()).isEqualTo(2 * d.visionConcurrency());
        assertThat(d.visionQueueTimeoutMs()).isEqualTo(10_000);

        VisionConfig c = VisionConfig.fromEnvironment(Map.of("OPENKYC_MAX_IMAGE_SIDE", "8000",
                "OPENKYC_MAX_IMAGE_ASPECT_RATIO", "4.5", "OPENKYC_VISION_CONCURRENCY", "3",
                "OPENKYC_VISION_QUEUE_TIMEOUT_MS", "250", "OPENKYC_MAX_IMAGE_PIXELS", "2000000"));
        assertThat(c.maxImageSide()).isEqualTo(8000);
        assertThat(c.maxImageAspectRatio()).isEqualTo(4.5);
        assertThat(c.visionConcurrency()).isEqualTo(3);
        assertThat(c.visionQueue()).isEqualTo(6);
        assertThat(c.visionQueueTimeoutMs()).isEqualTo(250);
        assertThat(c.maxVideoPixels()).as("never above the image limit").isEqualTo(2_000_000);
        assertThat(c.toBuilder().build().maxImageAspectRatio()).isEqualTo(4.5);

        for (String[] bad : new String[][] {{"OPENKYC_MAX_IMAGE_SIDE", "100"}, {"OPENKYC_MAX_IMAGE_SIDE", "wide"},
            {"OPENKYC_MAX_IMAGE_ASPECT_RATIO", "1"}, {"OPENKYC_VISION_CONCURRENCY", "0"},
            {"OPENKYC_VISION_QUEUE", "-1"}, {"OPENKYC_VISION_QUEUE_TIMEOUT_MS", "-5"},
            {"OPENKYC_MAX_VIDEO_PIXELS", "100"}, {"OPENKYC_MAX_VIDEO_PIXELS", "50000000"}}) {
            assertThatThrownBy(() -> VisionConfig.fromEnvironment(Map.of(bad[0], bad[1])))
                    .as(bad[0] + "=" + bad[1]).hasMessageContaining(bad[0]);
        }
    }

    @Test
    void serverConfigCarriesIt() {
        ServerConfig s = ServerConfig.fromEnvironment(Map.of(
                "MYSQL_URL", "jdbc:mysql://localhost/openkyc", "MYSQL_USER", "u",
                "OPENKYC_DATA_KEY", java.util.Base64.getEncoder().encodeToString(new byte[32]),
                "OPENKYC_MODEL_DIR", "/models"));
        assertThat(s.vision().modelDir()).isEqualTo(Path.of("/models"));
        assertThat(s.withGrpcPort(1234).vision().modelDir()).isEqualTo(Path.of("/models"));
    }
}
