package org.openkyc.server.document;

import java.util.List;
import java.util.Map;

/**
 * Every quality score of a document image, the thresholds they were judged by and
 * the issues found. Scores are 0-100 (higher is better); {@code measurements}
 * holds the raw figures behind them.
 *
 * @param scores       resolution, sharpness, exposure, glare (100 = none), document (100 = outline found)
 * @param thresholds   the minimum score of each, from {@link DocumentQuality}
 * @param measurements raw figures: laplacianVariance, meanBrightness, p5, p95, glareFraction,
 *                     documentAreaRatio, documentWidthPx, documentHeightPx
 * @param issues       what failed, empty when acceptable
 */
public record QualityReport(
        Map<String, Double> scores,
        Map<String, Double> thresholds,
        Map<String, Double> measurements,
        List<QualityIssue> issues) {

    /** True when no issue stops reading (a missing outline alone does not). */
    public boolean acceptable() {
        return issues.stream().allMatch(i -> i == QualityIssue.NO_DOCUMENT);
    }
}
