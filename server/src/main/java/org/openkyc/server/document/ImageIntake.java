package org.openkyc.server.document;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.openkyc.server.config.VisionConfig;

/**
 * The first step for every uploaded image: recognises JPEG, PNG and WebP by their
 * bytes (never by name or declared type), refuses what is too large before
 * decoding (the pixel count is read from the header, so a decompression bomb is
 * never expanded), refuses strips (a side longer than the limit, or a long side
 * too many times the short one, also read from the header), refuses truncated files, decodes with EXIF orientation applied
 * and refuses images too small to use. Stateless and thread-safe.
 */
public final class ImageIntake {

    private final long maxBytes;
    private final long maxPixels;
    private final int minSide;
    private final int maxSide;
    private final double maxAspectRatio;

    public ImageIntake(long maxBytes, long maxPixels, int minSide, int maxSide, double maxAspectRatio) {
        this.maxBytes = maxBytes;
        this.maxPixels = maxPixels;
        this.minSide = minSide;
        this.maxSide = maxSide;
        this.maxAspectRatio = maxAspectRatio;
    }

    /** Default side and aspect-ratio limits of {@link VisionConfig}. */
    public ImageIntake(long maxBytes, long maxPixels, int minSide) {
        this(maxBytes, maxPixels, minSide, VisionConfig.builder().build().maxImageSide(),
                VisionConfig.builder().build().maxImageAspectRatio());
    }

    public ImageIntake(VisionConfig config) {
        this(config.maxImageBytes(), config.maxImagePixels(), config.minImageSide(), config.maxImageSide(),
                config.maxImageAspectRatio());
    }

    /**
     * The largest decoded image intake lets through, in pixels: the pixel limit, or less when no
     * image within the side and aspect-ratio limits can reach it.
     */
    public long maxDecodedPixels() {
        return maxDecodedPixels(maxPixels, maxSide);
    }

    static long maxDecodedPixels(long maxPixels, int maxSide) {
        return Math.min(maxPixels, (long) maxSide * maxSide);
    }

    /** Recognises the format from the first bytes, or returns null. */
    public static ImageFormat sniff(byte[] b) {
        if (b.length >= 3 && (b[0] & 0xff) == 0xFF && (b[1] & 0xff) == 0xD8 && (b[2] & 0xff) == 0xFF) {
            return ImageFormat.JPEG;
        }
        if (b.length >= 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G'
                && b[4] == 0x0D && b[5] == 0x0A && b[6] == 0x1A && b[7] == 0x0A) {
            return ImageFormat.PNG;
        }
        if (b.length >= 12 && b[0] == 'R' && b[1] == 'I' && b[2] == 'F' && b[3] == 'F'
                && b[8] == 'W' && b[9] == 'E' && b[10] == 'B' && b[11] == 'P') {
            return ImageFormat.WEBP;
        }
        return null;
    }

    /**
     * Checks and decodes an upload.
     *
     * @throws ImageRejectedException with the reason when the upload is refused
     */
    public IntakeImage decode(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new ImageRejectedException(ImageRejection.EMPTY);
        }
        if (bytes.length > maxBytes) {
            throw new ImageRejectedException(ImageRejection.TOO_MANY_BYTES);
        }
        ImageFormat format = sniff(bytes);
        if (format == null) {
            throw new ImageRejectedException(ImageRejection.NOT_AN_IMAGE);
        }
        long[] size = switch (format) {
            case JPEG -> jpegSize(bytes);
            case PNG -> pngSize(bytes);
            case WEBP -> webpSize(bytes);
        };
        if (size == null) {
            throw new ImageRejectedException(ImageRejection.CORRUPT);
        }
        if (size[0] * size[1] > maxPixels) {
            throw new ImageRejectedException(ImageRejection.TOO_MANY_PIXELS);
        }
        long longSide = Math.max(size[0], size[1]);
        long shortSide = Math.min(size[0], size[1]);
        if (shortSide < minSide) {
            throw new ImageRejectedException(ImageRejection.TOO_SMALL);
        }
        if (longSide > maxSide || longSide > maxAspectRatio * shortSide) {
            throw new ImageRejectedException(ImageRejection.BAD_ASPECT_RATIO);
        }
        if (!complete(format, bytes)) {
            throw new ImageRejectedException(ImageRejection.CORRUPT);
        }
        Mat decoded;
        try (BytePointer p = new BytePointer(bytes); Mat buf = new Mat(1, bytes.length, org.bytedeco.opencv.global.opencv_core.CV_8UC1, p)) {
            // IMREAD_COLOR applies the EXIF orientation of JPEG files.
            decoded = imdecode(buf, IMREAD_COLOR);
        }
        if (decoded == null || decoded.empty()) {
            if (decoded != null) {
                decoded.close();
            }
            throw new ImageRejectedException(ImageRejection.CORRUPT);
        }
        return new IntakeImage(format, decoded);
    }

    private static boolean complete(ImageFormat format, byte[] b) {
        switch (format) {
            case JPEG -> {
                // An end-of-image marker near the end (some writers append padding).
                for (int i = b.length - 2; i >= Math.max(2, b.length - 4096); i--) {
                    if ((b[i] & 0xff) == 0xFF && (b[i + 1] & 0xff) == 0xD9) {
                        return true;
                    }
                }
                return false;
            }
            case PNG -> {
                for (int i = b.length - 8; i >= Math.max(8, b.length - 64); i--) {
                    if (b[i] == 'I' && b[i + 1] == 'E' && b[i + 2] == 'N' && b[i + 3] == 'D') {
                        return true;
                    }
                }
                return false;
            }
            case WEBP -> {
                long riff = le32(b, 4);
                return riff + 8 <= b.length;
            }
            default -> {
                return false;
            }
        }
    }

    private static long[] pngSize(byte[] b) {
        if (b.length < 24 || b[12] != 'I' || b[13] != 'H' || b[14] != 'D' || b[15] != 'R') {
            return null;
        }
        return new long[] {be32(b, 16), be32(b, 20)};
    }

    private static long[] jpegSize(byte[] b) {
        int i = 2;
        while (i + 9 < b.length) {
            if ((b[i] & 0xff) != 0xFF) {
                return null;
            }
            int marker = b[i + 1] & 0xff;
            if (marker == 0xFF) {
                i++;
                continue;
            }
            if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                i += 2;
                continue;
            }
            int len = ((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff);
            boolean sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
            if (sof) {
                long h = ((b[i + 5] & 0xff) << 8) | (b[i + 6] & 0xff);
                long w = ((b[i + 7] & 0xff) << 8) | (b[i + 8] & 0xff);
                return new long[] {w, h};
            }
            if (marker == 0xDA || len < 2) {
                return null;  // image data before any frame header
            }
            i += 2 + len;
        }
        return null;
    }

    private static long[] webpSize(byte[] b) {
        if (b.length < 30) {
            return null;
        }
        String chunk = new String(b, 12, 4, java.nio.charset.StandardCharsets.US_ASCII);
        switch (chunk) {
            case "VP8 " -> {
                long w = (le16(b, 26) & 0x3FFF);
                long h = (le16(b, 28) & 0x3FFF);
                return new long[] {w, h};
            }
            case "VP8L" -> {
                long bits = le32(b, 21);
                return new long[] {(bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1};
            }
            case "VP8X" -> {
                long w = 1 + ((b[24] & 0xff) | ((b[25] & 0xff) << 8) | ((b[26] & 0xff) << 16));
                long h = 1 + ((b[27] & 0xff) | ((b[28] & 0xff) << 8) | ((b[29] & 0xff) << 16));
                return new long[] {w, h};
            }
            default -> {
                return null;
            }
        }
    }

    private static long be32(byte[] b, int o) {
        return ((long) (b[o] & 0xff) << 24) | ((b[o + 1] & 0xff) << 16) | ((b[o + 2] & 0xff) << 8) | (b[o + 3] & 0xff);
    }

    private static long le32(byte[] b, int o) {
        return (b[o] & 0xff) | ((b[o + 1] & 0xff) << 8) | ((b[o + 2] & 0xff) << 16) | ((long) (b[o + 3] & 0xff) << 24);
    }

    private static int le16(byte[] b, int o) {
        return (b[o] & 0xff) | ((b[o + 1] & 0xff) << 8);
    }
}
