package org.openkyc.server.liveness;

import java.time.Instant;
import java.util.Optional;

/**
 * A recorded liveness result of a case: success or fail, a confidence 0-100, where it came from, and,
 * when the check also compared the live face with the document portrait, that 0-100 similarity.
 */
public record LivenessResult(String result, double confidence, String source, Instant at,
        Optional<Double> faceMatchScore) {

    public boolean passed() {
        return "success".equals(result);
    }
}
