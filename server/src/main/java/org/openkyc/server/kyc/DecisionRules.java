package org.openkyc.server.kyc;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeSet;

/**
 * The one place that decides whether a completed KYC case is approved automatically or goes to a
 * reviewer (docs/API.md A4, C1). Both journeys (submissions step 2 and the web API's document submit) gather
 * their {@link Evidence} and ask here; a reviewer decides everything that is not auto-approved through
 * the admin API.
 *
 * <p>Auto-approval needs every one of: the document's MRZ read with all its check digits holding and
 * no field read ambiguously (names, nationality, a date's century), a document that is not expired, a face similarity to the document portrait and a liveness score both at
 * or over their thresholds, a screening that is clear, and OCR fields the user did not modify. Anything
 * missing counts as not met: a score that was never measured never approves.
 */
public final class DecisionRules {

    /**
     * How decisions are made.
     *
     * @param autoApprove         false sends every completed case to manual review
     * @param faceMatchThreshold  0-100 face similarity needed for auto-approval
     * @param livenessThreshold   0-100 liveness score needed for auto-approval
     * @param maxAttempts         step-2 attempts before a submission is rejected with too_many_retry
     */
    public record Settings(boolean autoApprove, double faceMatchThreshold, double livenessThreshold,
            int maxAttempts) {
        public Settings {
            if (!(faceMatchThreshold > 0 && faceMatchThreshold < 100)) {
                throw new IllegalArgumentException("face match threshold must be in (0, 100)");
            }
            if (!(livenessThreshold > 0 && livenessThreshold < 100)) {
                throw new IllegalArgumentException("liveness threshold must be in (0, 100)");
            }
            if (maxAttempts < 1 || maxAttempts > 20) {
                throw new IllegalArgumentException("OPENKYC_MAX_ATTEMPTS must be 1-20");
            }
        }
    }

    /**
     * What is known about a case when it is decided. Empty means "not measured".
     *
     * @param mrzValid       the document's MRZ was read and every check digit holds
     * @param expiryDate     the document's expiry date, as read from a valid MRZ
     * @param faceSimilarity 0-100 similarity of the user's face to the document portrait
     * @param liveness       0-100 liveness score (passive selfie score or video challenge confidence)
     * @param livenessPassed the liveness check itself passed (a failed video challenge never approves)
     * @param screening      the screening result: clear, hit or pending
     * @param userModified   the user changed fields that were read by OCR
     * @param unsureFields   fields of the zone read but not unambiguously (names, nationality, a date's century):
     *                       a reviewer confirms them even when every check digit holds
     */
    public record Evidence(boolean mrzValid, Optional<LocalDate> expiryDate, OptionalDouble faceSimilarity,
            OptionalDouble liveness, boolean livenessPassed, Optional<String> screening, boolean userModified,
            Set<String> unsureFields) {
        public Evidence {
            unsureFields = Set.copyOf(unsureFields);
        }

        /** Evidence whose zone has no unsure field. */
        public Evidence(boolean mrzValid, Optional<LocalDate> expiryDate, OptionalDouble faceSimilarity,
                OptionalDouble liveness, boolean livenessPassed, Optional<String> screening, boolean userModified) {
            this(mrzValid, expiryDate, faceSimilarity, liveness, livenessPassed, screening, userModified, Set.of());
        }
    }

    /** The outcome; {@link #statusCode()} is the web API's data.status of /document/submit. */
    public enum Outcome {
        AUTO_APPROVED(1), MANUAL_REVIEW(2), USER_MODIFIED_REVIEW(3);

        private final int statusCode;

        Outcome(int statusCode) {
            this.statusCode = statusCode;
        }

        public int statusCode() {
            return statusCode;
        }
    }

    /** A reason a case is not auto-approved: a stable code and a text a reviewer can act on. */
    public record Reason(String code, String message) {}

    /** The decision and, unless auto-approved, every reason why not. */
    public record Decision(Outcome outcome, List<Reason> reasons) {
        public boolean approved() {
            return outcome == Outcome.AUTO_APPROVED;
        }
    }

    private final Settings settings;

    public DecisionRules(Settings settings) {
        this.settings = settings;
    }

    public Settings settings() {
        return settings;
    }

    /** Whether a 0-100 face similarity counts as the same person (what status answers call a match). */
    public boolean faceMatches(double similarity) {
        return similarity >= settings.faceMatchThreshold();
    }

    /** Decides on the evidence, with today's date for the expiry check. */
    public Decision decide(Evidence e, LocalDate today) {
        List<Reason> reasons = new ArrayList<>();
        if (e.userModified()) {
            reasons.add(new Reason("user_modified", "The user changed fields read from the document"));
        }
        if (!e.mrzValid()) {
            reasons.add(new Reason("mrz_not_verified",
                    "The document's machine-readable zone was not read with all check digits holding"));
        }
        if (e.mrzValid() && !e.unsureFields().isEmpty()) {
            reasons.add(new Reason("mrz_field_unsure", "Fields of the machine-readable zone were not read"
                    + " unambiguously: " + String.join(", ", new TreeSet<>(e.unsureFields()))));
        }
        if (e.expiryDate().isEmpty()) {
            reasons.add(new Reason("expiry_unknown", "The document's expiry date is not known"));
        } else if (e.expiryDate().get().isBefore(today)) {
            reasons.add(new Reason("document_expired", "The document expired on " + e.expiryDate().get()));
        }
        if (e.faceSimilarity().isEmpty()) {
            reasons.add(new Reason("face_not_matched", "The face was not compared with the document portrait"));
        } else if (e.faceSimilarity().getAsDouble() < settings.faceMatchThreshold()) {
            reasons.add(new Reason("face_similarity_low", "Face similarity " + round(e.faceSimilarity())
                    + " is under the threshold " + round(settings.faceMatchThreshold())));
        }
        if (e.liveness().isEmpty() || !e.livenessPassed()) {
            reasons.add(new Reason("liveness_not_passed", "No passed liveness check"));
        } else if (e.liveness().getAsDouble() < settings.livenessThreshold()) {
            reasons.add(new Reason("liveness_low", "Liveness score " + round(e.liveness())
                    + " is under the threshold " + round(settings.livenessThreshold())));
        }
        if (e.screening().isEmpty()) {
            reasons.add(new Reason("screening_missing", "The person was not screened"));
        } else if (!"clear".equals(e.screening().get())) {
            reasons.add(new Reason("screening_not_clear", "The screening result is " + e.screening().get()));
        }
        if (!settings.autoApprove()) {
            reasons.add(new Reason("auto_approve_off", "Automatic approval is turned off"));
        }
        if (reasons.isEmpty()) {
            return new Decision(Outcome.AUTO_APPROVED, List.of());
        }
        return new Decision(e.userModified() ? Outcome.USER_MODIFIED_REVIEW : Outcome.MANUAL_REVIEW,
                List.copyOf(reasons));
    }

    private static long round(OptionalDouble d) {
        return Math.round(d.getAsDouble());
    }

    private static long round(double d) {
        return Math.round(d);
    }
}
