package org.openkyc.server.document;

/**
 * Reads an identity document image: intake checks, quality scores and the
 * machine-readable zone. Implementations are thread-safe.
 */
public interface DocumentReader extends AutoCloseable {

    /**
     * @param image the uploaded bytes (JPEG, PNG or WebP)
     * @throws ImageRejectedException when intake refuses the upload
     */
    DocumentReading read(byte[] image);

    /**
     * The date of issue printed outside the machine-readable zone, where readable.
     *
     * @throws ImageRejectedException when intake refuses the upload
     */
    java.util.Optional<java.time.LocalDate> readIssueDate(byte[] image);

    /**
     * The date of issue printed outside the machine-readable zone, where readable and consistent with the
     * document's expiry date (known from its zone): never the expiry itself, never after it.
     *
     * @throws ImageRejectedException when intake refuses the upload
     */
    default java.util.Optional<java.time.LocalDate> readIssueDate(byte[] image,
            java.util.Optional<java.time.LocalDate> expiry) {
        return readIssueDate(image).filter(d -> expiry.map(d::isBefore).orElse(true));
    }

    @Override
    void close();
}
