package org.openkyc.server.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.api.Test;
import org.openkyc.server.error.ErrorCode;
import org.openkyc.server.vision.TestVision;

class ImageIntakeTest {

    private final ImageIntake intake = new ImageIntake(10L * 1024 * 1024, 40_000_000L, 200);

    static byte[] encode(String ext, Mat m) {
        try (BytePointer out = new BytePointer()) {
            imencode(ext, m, out);
            byte[] b = new byte[(int) out.limit()];
            out.get(b);
            return b;
        }
    }

    static byte[] blank(String ext, int w, int h) {
        try (Mat m = new Mat(new Size(w, h), org.bytedeco.opencv.global.opencv_core.CV_8UC3, new Scalar(200, 180, 160, 0))) {
            return encode(ext, m);
        }
    }

    @Test
    void recognisesImagesByContentNotByName() {
        try (IntakeImage png = intake.decode(TestVision.resource("astronaut.png"));
                IntakeImage jpg = intake.decode(TestVision.resource("grace_hopper.jpg"))) {
            assertThat(png.format()).isEqualTo(ImageFormat.PNG);
            assertThat(png.width()).isEqualTo(512);
            assertThat(jpg.format()).isEqualTo(ImageFormat.JPEG);
            assertThat(jpg.height()).isEqualTo(512);
        }
    }

    @Test
    void acceptsWebp() {
        byte[] webp = blank(".webp", 320, 240);
        assertThat(ImageIntake.sniff(webp)).isEqualTo(ImageFormat.WEBP);
        try (IntakeImage img = intake.decode(webp)) {
            assertThat(img.width()).isEqualTo(320);
            assertThat(img.height()).isEqualTo(240);
        }
    }

    @Test
    void refusesWhatIsNotAnImage() {
        assertRejected("%PDF-1.7 not an image".getBytes(StandardCharsets.US_ASCII), ImageRejection.NOT_AN_IMAGE,
                ErrorCode.UNSUPPORTED_MEDIA_TYPE);
        assertRejected("GIF89a....".getBytes(StandardCharsets.US_ASCII), ImageRejection.NOT_AN_IMAGE,
                ErrorCode.UNSUPPORTED_MEDIA_TYPE);
        assertRejected(new byte[0], ImageRejection.EMPTY, ErrorCode.INVALID_ARGUMENT);
    }

    @Test
    void refusesTruncatedAndCorruptFiles() {
        byte[] jpg = TestVision.resource("grace_hopper.jpg");
        assertRejected(Arrays.copyOf(jpg, jpg.length / 2), ImageRejection.CORRUPT, ErrorCode.UNPROCESSABLE_IMAGE);
        byte[] png = TestVision.resource("astronaut.png");
        assertRejected(Arrays.copyOf(png, png.length - 100), ImageRejection.CORRUPT, ErrorCode.UNPROCESSABLE_IMAGE);
        byte[] garbage = Arrays.copyOf(png, png.length);
        for (int i = 60; i < garbage.length - 20; i++) {
            garbage[i] = (byte) (i * 31);
        }
        assertRejected(garbage, ImageRejection.CORRUPT, ErrorCode.UNPROCESSABLE_IMAGE);
    }

    @Test
    void refusesTooManyBytes() {
        ImageIntake small = new ImageIntake(50_000, 40_000_000L, 200);
        byte[] jpg = TestVision.resource("grace_hopper.jpg");
        assertThat(jpg.length).isGreaterThan(50_000);
        assertThatThrownBy(() -> small.decode(jpg)).isInstanceOfSatisfying(ImageRejectedException.class,
                e -> assertThat(e.reason()).isEqualTo(ImageRejection.TOO_MANY_BYTES));
    }

    @Test
    void refusesDecompressionBombsBeforeDecoding() {
        // 8000 x 6000 = 48 MP of one colour: a few hundred kilobytes that would expand to 144 MB.
        byte[] bomb = blank(".png", 8000, 6000);
        assertThat(bomb.length).isLessThan(1_000_000);
        assertRejected(bomb, ImageRejection.TOO_MANY_PIXELS, ErrorCode.PAYLOAD_TOO_LARGE);
    }

    @Test
    void refusesImagesTooSmallToUse() {
        assertRejected(blank(".png", 80, 400), ImageRejection.TOO_SMALL, ErrorCode.UNPROCESSABLE_IMAGE);
    }

    @Test
    void refusesStripsFromTheHeaderBeforeDecoding() {
        // 200 x 200,000: exactly 40 MP, within the pixel limit, a file of some 150 KB.
        byte[] tall = HostileImages.greyPng(200, 200_000);
        assertThat(tall.length).isLessThan(200_000);
        assertRejected(tall, ImageRejection.BAD_ASPECT_RATIO, ErrorCode.UNPROCESSABLE_IMAGE);
        assertRejected(HostileImages.greyPng(250, 60_000), ImageRejection.BAD_ASPECT_RATIO,
                ErrorCode.UNPROCESSABLE_IMAGE);
        assertRejected(HostileImages.rgbPng(60_000, 250), ImageRejection.BAD_ASPECT_RATIO,
                ErrorCode.UNPROCESSABLE_IMAGE);
        // Within the side limit but nine times longer than wide.
        assertRejected(HostileImages.greyPng(1000, 9000), ImageRejection.BAD_ASPECT_RATIO,
                ErrorCode.UNPROCESSABLE_IMAGE);
        // A side beyond 12000 px even at a moderate ratio.
        assertRejected(HostileImages.greyPng(2000, 12_001), ImageRejection.BAD_ASPECT_RATIO,
                ErrorCode.UNPROCESSABLE_IMAGE);
        // The same limits for JPEG, whose size is read from the frame header.
        ImageIntake strict = new ImageIntake(10L * 1024 * 1024, 40_000_000L, 200, 12_000, 3);
        assertThatThrownBy(() -> strict.decode(blank(".jpg", 250, 1000))).isInstanceOfSatisfying(
                ImageRejectedException.class, e -> assertThat(e.reason()).isEqualTo(ImageRejection.BAD_ASPECT_RATIO));
    }

    @Test
    void theRefusalNamesItsReason() {
        assertThatThrownBy(() -> intake.decode(HostileImages.greyPng(200, 200_000)))
                .hasMessageContaining("BAD_ASPECT_RATIO").hasMessageContaining("too long or too narrow");
    }

    @Test
    void shapesCamerasTakeAreStillAccepted() {
        int[][] ok = {{200, 1600}, {1600, 200}, {4000, 3000}, {3000, 4000}, {1080, 1920}, {1200, 800},
            {800, 6400}, {12_000, 3000}};
        for (int[] wh : ok) {
            byte[] png = HostileImages.greyPng(wh[0], wh[1]);
            try (IntakeImage img = intake.decode(png)) {
                assertThat(img.width()).as(wh[0] + "x" + wh[1]).isEqualTo(wh[0]);
                assertThat(img.height()).isEqualTo(wh[1]);
            }
        }
    }

    @Test
    void theLimitsBoundWhatIsEverDecoded() {
        assertThat(new ImageIntake(org.openkyc.server.config.VisionConfig.builder().build()).maxDecodedPixels())
                .isEqualTo(40_000_000L);
        assertThat(ImageIntake.maxDecodedPixels(40_000_000L, 4000)).isEqualTo(16_000_000L);
    }

    @Test
    void appliesExifOrientation() {
        byte[] jpg = blank(".jpg", 400, 250);
        byte[] rotated = withExifOrientation(jpg, 6);  // "rotate 90 CW to display"
        try (IntakeImage plain = intake.decode(jpg); IntakeImage upright = intake.decode(rotated)) {
            assertThat(plain.width()).isEqualTo(400);
            assertThat(upright.width()).isEqualTo(250);
            assertThat(upright.height()).isEqualTo(400);
        }
    }

    private void assertRejected(byte[] bytes, ImageRejection reason, ErrorCode code) {
        assertThatThrownBy(() -> intake.decode(bytes)).isInstanceOfSatisfying(ImageRejectedException.class, e -> {
            assertThat(e.reason()).isEqualTo(reason);
            assertThat(e.code()).isEqualTo(code);
        });
    }

    /** Inserts an APP1 Exif segment holding only an orientation tag after the SOI marker. */
    static byte[] withExifOrientation(byte[] jpg, int orientation) {
        byte[] tiff = {'I', 'I', 42, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0,
            (byte) orientation, 0, 0, 0, 0, 0, 0, 0};
        byte[] exif = {'E', 'x', 'i', 'f', 0, 0};
        int len = 2 + exif.length + tiff.length;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpg, 0, 2);
        out.write(0xFF);
        out.write(0xE1);
        out.write(len >> 8);
        out.write(len & 0xff);
        out.write(exif, 0, exif.length);
        out.write(tiff, 0, tiff.length);
        out.write(jpg, 2, jpg.length - 2);
        return out.toByteArray();
    }
}
