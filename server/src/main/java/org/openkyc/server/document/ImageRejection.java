package org.openkyc.server.document;

import org.openkyc.server.error.ErrorCode;

/** Why an uploaded image was refused, with the error the caller hears. */
public enum ImageRejection {
    /** Empty upload. */
    EMPTY(ErrorCode.INVALID_ARGUMENT, "The image is empty"),
    /** The bytes are not JPEG, PNG or WebP, whatever the file name or declared type says. */
    NOT_AN_IMAGE(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "The file is not a JPEG, PNG or WebP image"),
    /** The image is cut short or cannot be decoded. */
    CORRUPT(ErrorCode.UNPROCESSABLE_IMAGE, "The image is truncated or corrupt"),
    /** More bytes than the configured limit. */
    TOO_MANY_BYTES(ErrorCode.PAYLOAD_TOO_LARGE, "The image file is too large"),
    /** More pixels than the configured limit (a decompression bomb or an oversized photo). */
    TOO_MANY_PIXELS(ErrorCode.PAYLOAD_TOO_LARGE, "The image has too many pixels"),
    /**
     * A side longer than the configured limit, or the long side too many times the short one (a strip
     * no camera takes, which would make every analysis stage allocate for its length).
     */
    BAD_ASPECT_RATIO(ErrorCode.UNPROCESSABLE_IMAGE,
            "The image is too long or too narrow: its sides or their ratio are beyond the limits"),
    /** Too few pixels to read a document or a face. */
    TOO_SMALL(ErrorCode.UNPROCESSABLE_IMAGE, "The image is too small to use");

    private final ErrorCode errorCode;
    private final String message;

    ImageRejection(ErrorCode errorCode, String message) {
        this.errorCode = errorCode;
        this.message = message;
    }

    public ErrorCode errorCode() { return errorCode; }
    public String message() { return message; }
}
