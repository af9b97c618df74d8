package org.openkyc.server.face;

import static org.bytedeco.opencv.global.opencv_core.BORDER_REPLICATE;
import static org.bytedeco.opencv.global.opencv_core.flip;
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
}
