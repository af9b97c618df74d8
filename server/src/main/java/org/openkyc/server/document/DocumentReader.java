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

    @Override
    void close();
}
