package org.openkyc.server.face;

/**
 * The comparison of two faces.
 *
 * @param cosine              cosine similarity of the two embeddings (-1 to 1)
 * @param faceSimilarityScore cosine mapped to 0-100 (see {@link SimilarityScale})
 * @param threshold           the score at or above which the faces are taken to be one person
 * @param match               score &gt;= threshold
 */
public record FaceMatch(double cosine, double faceSimilarityScore, double threshold, boolean match) {}
