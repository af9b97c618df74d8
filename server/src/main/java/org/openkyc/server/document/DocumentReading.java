package org.openkyc.server.document;

import java.util.List;
import java.util.Optional;

/**
 * What was read from a document image.
 *
 * @param format    the upload's format as recognised from its bytes
 * @param width     the upright image's width in pixels
 * @param height    the upright image's height in pixels
 * @param quality   every quality score and issue
 * @param mrzStatus whether a zone was found and whether its checks hold
 * @param mrz       the parsed zone (present for VALID and CHECKS_FAILED)
 * @param ocrModel  the OCR model that read the zone (e.g. ocrb_int, eng)
 */
public record DocumentReading(
        ImageFormat format,
        int width,
        int height,
        QualityReport quality,
        MrzStatus mrzStatus,
        Optional<MrzResult> mrz,
        String ocrModel) {

    /**
     * A document is in the image: its outline was found, or a machine-readable zone was read with every
     * check digit holding (text-like noise can look like a zone whose checks fail).
     */
    public boolean documentFound() {
        return documentFound(quality.issues(), mrzStatus);
    }

    /**
     * The quality issues that refuse the image: none when a zone was read whose checks all hold (then
     * every issue is a warning, kept in the quality report), else every issue but a missing outline.
     */
    public List<QualityIssue> blockingIssues() {
        return blockingIssues(quality.issues(), mrzStatus);
    }

    /** The same rule over stored issues and zone status. */
    public static List<QualityIssue> blockingIssues(List<QualityIssue> issues, MrzStatus mrzStatus) {
        if (mrzStatus == MrzStatus.VALID) {
            return List.of();
        }
        return issues.stream().filter(i -> i != QualityIssue.NO_DOCUMENT).toList();
    }

    /** The same rule over stored issues and zone status. */
    public static boolean documentFound(List<QualityIssue> issues, MrzStatus mrzStatus) {
        return !issues.contains(QualityIssue.NO_DOCUMENT) || mrzStatus == MrzStatus.VALID;
    }
}
