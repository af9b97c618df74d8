package org.openkyc.server.face;

import static org.bytedeco.opencv.global.opencv_core.BORDER_REPLICATE;
import static org.bytedeco.opencv.global.opencv_core.flip;
import static org.bytedeco.opencv.global.opencv_imgproc.GaussianBlur;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.getRotationMatrix2D;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.bytedeco.opencv.global.opencv_imgproc.warpAffine;

import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point2f;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.openkyc.server.vision.TestVision;

/** Test images: the two portraits, and the same portrait shifted, scaled, re-lit, recompressed, mirrored. */
public final class FaceImages {

    private FaceImages() {}

    public static Mat decode(byte[] b) {
        try (BytePointer p = new BytePointer(b); Mat buf = new Mat(1, b.length, org.bytedeco.opencv.global.opencv_core.CV_8UC1, p)) {
            return imdecode(buf, IMREAD_COLOR);
        }
    }

    public static byte[] encode(Mat m, String ext, int jpegQuality) {
        try (BytePointer out = new BytePointer()) {
            if (ext.equals(".jpg")) {
                imencode(ext, m, out, new IntPointer(org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_QUALITY, jpegQuality));
            } else {
                imencode(ext, m, out);
            }
            byte[] b = new byte[(int) out.limit()];
            out.get(b);
            return b;
        }
    }

    public static Mat astronaut() {
        return decode(TestVision.resource("astronaut.png"));
    }

    public static Mat hopper() {
        return decode(TestVision.resource("grace_hopper.jpg"));
    }

    /** The portrait placed in a 1280 x 720 frame, as a selfie camera would give it. */
    public static Mat selfie720(Mat face, int dx, int dy, double scale) {
        Mat frame = new Mat(720, 1280, face.type(), new Scalar(90, 100, 110, 0));
        int w = (int) (face.cols() * scale);
        int h = (int) (face.rows() * scale);
        w = Math.min(w, 1280);
        h = Math.min(h, 720);
        try (Mat small = new Mat()) {
            resize(face, small, new Size(w, h));
            int x = Math.max(0, Math.min(1280 - w, (1280 - w) / 2 + dx));
            int y = Math.max(0, Math.min(720 - h, (720 - h) / 2 + dy));
            try (Mat roi = new Mat(frame, new Rect(x, y, w, h)); Mat part = new Mat(small, new Rect(0, 0, w, h))) {
                part.copyTo(roi);
            }
        }
        return frame;
    }

    /** Variants of one photo of one person. */
    public static Map<String, Mat> sameFaceVariants(Mat face) {
        Map<String, Mat> v = new LinkedHashMap<>();
        v.put("shifted-720p", selfie720(face, -200, 40, 1.0));
        v.put("scaled-0.6", selfie720(face, 150, 0, 0.6));
        v.put("scaled-1.3", selfie720(face, 0, 0, 1.3));
        Mat dark = new Mat();
        face.convertTo(dark, -1, 0.6, 10);
        v.put("relit-dark", dark);
        Mat bright = new Mat();
        face.convertTo(bright, -1, 1.2, 30);
        v.put("relit-bright", bright);
        v.put("jpeg-30", decode(encode(face, ".jpg", 30)));
        Mat rot = new Mat();
        try (Mat m = getRotationMatrix2D(new Point2f(face.cols() / 2f, face.rows() / 2f), 8, 1.0)) {
            warpAffine(face, rot, m, face.size(), INTER_LINEAR, BORDER_REPLICATE, new Scalar());
        }
        v.put("rotated-8", rot);
        Mat mirror = new Mat();
        flip(face, mirror, 1);
        v.put("mirrored", mirror);
        return v;
    }

    /** 1280 x 720: Grace Hopper sharp on the left, the astronaut enlarged and blurred behind on the right. */
    public static Mat hopperBeforeBlurredAstronaut(double sigmaFraction) {
        Mat frame = new Mat(720, 1280, org.bytedeco.opencv.global.opencv_core.CV_8UC3, new Scalar(90, 100, 110, 0));
        try (Mat astro = astronaut(); Mat big = new Mat(); Mat blurred = new Mat();
                Mat hopper = hopper(); Mat small = new Mat()) {
            // The astronaut's head (about 100 px wide in the 512 px photo) enlarged 3.6 times.
            try (Mat head = new Mat(astro, new Rect(120, 10, 200, 200))) {
                resize(head, big, new Size(720, 720));
            }
            double sigma = 720 * sigmaFraction;
            GaussianBlur(big, blurred, new Size(0, 0), sigma);
            try (Mat roi = new Mat(frame, new Rect(560, 0, 720, 720))) {
                blurred.copyTo(roi);
            }
            resize(hopper, small, new Size(400, 400));
            try (Mat roi = new Mat(frame, new Rect(60, 200, 400, 400))) {
                small.copyTo(roi);
            }
        }
        return frame;
    }

    /** 1280 x 720: the two portraits side by side, both in focus. */
    public static Mat twoPeople() {
        Mat frame = new Mat(720, 1280, org.bytedeco.opencv.global.opencv_core.CV_8UC3, new Scalar(90, 100, 110, 0));
        try (Mat a = astronaut(); Mat h = hopper(); Mat sa = new Mat(); Mat sh = new Mat()) {
            resize(h, sh, new Size(560, 560));
            resize(a, sa, new Size(560, 560));
            try (Mat r1 = new Mat(frame, new Rect(60, 80, 560, 560)); Mat r2 = new Mat(frame, new Rect(660, 80, 560, 560))) {
                sh.copyTo(r1);
                sa.copyTo(r2);
            }
        }
        return frame;
    }
}
