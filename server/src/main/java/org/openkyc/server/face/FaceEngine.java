package org.openkyc.server.face;

import java.util.Optional;

/**
 * Face checks for KYC on uploaded images (JPEG, PNG, WebP, through the same
 * intake as documents). Implementations are thread-safe.
 *
 * <p>Limits: the passive liveness model scores still photos, and even a
 * photographed document portrait, as live; it cannot stop a replay on its own.
 * Video liveness (challenge actions over time) must back it.
 */
public interface FaceEngine extends AutoCloseable {

    /** Faces, the main face's embedding and passive liveness of a selfie. */
    SelfieAnalysis analyzeSelfie(byte[] image);

    /** The portrait on an identity document image, if a face is found. */
    Optional<Portrait> portraitFromDocument(byte[] documentImage);

    /** Compares two embeddings. */
    FaceMatch compare(float[] a, float[] b);

    /**
     * Compares a selfie with the portrait on a document.
     *
     * @throws org.openkyc.server.error.DomainException UNPROCESSABLE_IMAGE when either has no face
     */
    FaceMatch matchSelfieToDocument(byte[] selfie, byte[] documentImage);

    @Override
    void close();
}
