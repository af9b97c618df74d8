package org.openkyc.server.document;

/** Reason codes of a document image that fails a quality threshold. */
public enum QualityIssue {
    /** The document occupies too few pixels to read. */
    LOW_RESOLUTION,
    /** Out of focus or moved (low variance of the Laplacian). */
    BLURRY,
    /** Under-exposed. */
    TOO_DARK,
    /** Over-exposed. */
    TOO_BRIGHT,
    /** Flat: too little difference between dark and light. */
    LOW_CONTRAST,
    /** Specular reflection: a sizeable area much brighter than the paper. */
    GLARE,
    /** No document outline found in the frame (the image is used as it is). */
    NO_DOCUMENT
}
