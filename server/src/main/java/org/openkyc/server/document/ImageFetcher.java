package org.openkyc.server.document;

/**
 * Fetches a document image that a client referenced by URL (the KYC web API's /document). The
 * implementation decides which URLs it may contact at all; a URL it may not contact is refused before
 * any connection is made. Implementations are thread-safe.
 */
public interface ImageFetcher {

    /**
     * The bytes behind the URL.
     *
     * @param field the request field the URL came from, named in error messages (never the URL itself,
     *              which may carry tokens)
     * @throws org.openkyc.server.error.DomainException INVALID_ARGUMENT for a URL that may not be fetched
     *         (scheme, host or redirect off the allow-list); PAYLOAD_TOO_LARGE for a body over the limit;
     *         UNPROCESSABLE_IMAGE when the image cannot be fetched (timeout, error status, network failure)
     */
    byte[] fetch(String url, String field);

    /** A fetcher that contacts nothing: every URL is refused. */
    ImageFetcher NONE = (url, field) -> {
        throw org.openkyc.server.error.DomainException.invalidField(field, field
                + " is a URL, and no host is allowed for image URLs on this server (OPENKYC_DOCUMENT_URL_HOSTS):"
                + " send the image as a data: URL or base64");
    };
}
