package org.openkyc.server.screening;

/**
 * One line of a candidate's score breakdown: the feature (name, date_of_birth,
 * nationality, kind), what it added to or took from the score, and why.
 */
public record ScoreFeature(String feature, double contribution, String explanation) {
}
