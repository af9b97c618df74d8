package org.openkyc.server.document;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * Images an attacker sends: valid PNG files of any size, written row by row without ever holding the
 * pixels, so a 200 x 200,000 strip costs the test some 150 kilobytes. Grey or RGB, every pixel one value
 * with a light pattern so the image is not a single colour.
 */
public final class HostileImages {

    private HostileImages() {}

    /** An 8-bit greyscale PNG of the given size (the smallest file for its pixel count). */
    public static byte[] greyPng(int width, int height) {
        return png(width, height, 1);
    }

    /** An 8-bit RGB PNG of the given size. */
    public static byte[] rgbPng(int width, int height) {
        return png(width, height, 3);
    }

    private static byte[] png(int width, int height, int channels) {
        try {
            ByteArrayOutputStream file = new ByteArrayOutputStream();
            file.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
            ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
            int32(ihdr, width);
            int32(ihdr, height);
            ihdr.write(8);                         // bit depth
            ihdr.write(channels == 1 ? 0 : 2);     // colour type: grey or RGB
            ihdr.write(0);
            ihdr.write(0);
            ihdr.write(0);
            chunk(file, "IHDR", ihdr.toByteArray());
            ByteArrayOutputStream idat = new ByteArrayOutputStream();
            Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
            try (DeflaterOutputStream z = new DeflaterOutputStream(idat, deflater, 1 << 16)) {
                byte[] row = new byte[1 + width * channels];
                for (int i = 1; i < row.length; i++) {
                    row[i] = (byte) (((i / 16) % 2) == 0 ? 200 : 40);  // vertical stripes
                }
                for (int y = 0; y < height; y++) {
                    z.write(row);
                }
            } finally {
                deflater.end();
            }
            byte[] data = idat.toByteArray();
            for (int o = 0; o < data.length; o += 1 << 16) {
                chunk(file, "IDAT", java.util.Arrays.copyOfRange(data, o, Math.min(data.length, o + (1 << 16))));
            }
            chunk(file, "IEND", new byte[0]);
            return file.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) throws IOException {
        int32(out, data.length);
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.write(t);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        int32(out, (int) crc.getValue());
    }

    private static void int32(ByteArrayOutputStream out, int v) {
        out.write(v >>> 24);
        out.write(v >>> 16);
        out.write(v >>> 8);
        out.write(v);
    }
}
