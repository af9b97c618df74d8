package org.openkyc.server.document;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.api.Test;

/** Every stage that resizes fits both sides into its box, whatever the shape that passed intake. */
class WorkingSizeTest {

    private static final List<int[]> SHAPES = List.of(
            new int[] {200, 200_000}, new int[] {250, 60_000}, new int[] {200_000, 200}, new int[] {1500, 12_000},
            new int[] {12_000, 1500}, new int[] {4000, 3000}, new int[] {300, 200}, new int[] {1, 65_535});

    @Test
    void fittingBoundsBothSidesAndKeepsTheShape() {
        for (int[] s : SHAPES) {
            for (int[] box : new int[][] {{1000, 2000}, {1200, 2400}, {1600, 3200}, {800, 800}}) {
                WorkingSize w = WorkingSize.fit(s[0], s[1], box[0], box[1]);
                assertThat(w.width()).as(s[0] + "x" + s[1]).isBetween(1, box[0]);
                assertThat(w.height()).as(s[0] + "x" + s[1]).isBetween(1, box[1]);
                assertThat(w.pixels()).isLessThanOrEqualTo((long) box[0] * box[1]);
                // One side reaches the box (the limiting one), unless rounding a 1 px side up.
                assertThat(w.width() == box[0] || w.height() == box[1] || w.width() == 1 || w.height() == 1).isTrue();
            }
        }
    }

    @Test
    void ordinaryDocumentsKeepTheirFixedWorkingWidth() {
        // A passport page, a portrait ID photo and a phone photo are measured as before: at the width.
        assertThat(WorkingSize.fit(1250, 880, 1000, 2000).width()).isEqualTo(1000);
        assertThat(WorkingSize.fit(3000, 4000, 1000, 2000).width()).isEqualTo(1000);
        assertThat(WorkingSize.fit(600, 1200, 1200, 2400).width()).isEqualTo(1200);
        assertThat(WorkingSize.fit(200, 200_000, 1000, 2000).width()).isEqualTo(2);
    }

    @Test
    void shrinkToFitNeverEnlarges() {
        WorkingSize small = WorkingSize.shrinkToFit(320, 240, 640, 640);
        assertThat(small.scale()).isEqualTo(1.0);
        assertThat(small.width()).isEqualTo(320);
        WorkingSize portrait = WorkingSize.shrinkToFit(1080, 1920, 640, 640);
        assertThat(portrait.width()).isLessThanOrEqualTo(640);
        assertThat(portrait.height()).isLessThanOrEqualTo(640);
        WorkingSize strip = WorkingSize.shrinkToFit(640, 40_000, 640, 640);
        assertThat(strip.height()).isEqualTo(640);
        assertThat(strip.width()).isLessThan(20);
    }

    @Test
    void theQualityAndMrzStagesCopeWithTheWorstShapeIntakeLetsThrough() {
        // Ratio 8 at the largest side intake allows: 1500 x 12000, 18 MP.
        try (Mat tall = new Mat(new Size(1500, 12_000), org.bytedeco.opencv.global.opencv_core.CV_8UC3,
                new Scalar(200, 180, 160, 0)); DocumentQuality.Assessment a = new DocumentQuality().assess(tall)) {
            assertThat(a.report().measurements().get("documentHeightPx")).isEqualTo(12_000.0);
            assertThat(a.report().scores()).containsKey("sharpness");
        }
        try (Mat grey = new Mat(new Size(12_000, 1500), org.bytedeco.opencv.global.opencv_core.CV_8UC1,
                new Scalar(200))) {
            assertThat(new MrzLocator().locate(grey)).isEmpty();
        }
    }
}
