package org.openkyc.server.document;

/** Image formats accepted at intake, recognised by their content. */
public enum ImageFormat {
    JPEG("image/jpeg"), PNG("image/png"), WEBP("image/webp");

    private final String mediaType;

    ImageFormat(String mediaType) {
        this.mediaType = mediaType;
    }

    public String mediaType() { return mediaType; }
}
