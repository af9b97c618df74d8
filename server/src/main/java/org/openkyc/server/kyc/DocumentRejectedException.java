package org.openkyc.server.kyc;

import java.util.List;
import java.util.Optional;
import org.openkyc.server.error.DomainException;
import org.openkyc.server.error.ErrorCode;

/**
 * A document whose images cannot be used. Besides the error it carries what the caller needs to take
 * a better picture: a machine-readable error code, the quality scores when the image could be measured,
 * and every reason.
 */
public final class DocumentRejectedException extends DomainException {

    private final String errorCode;
    private final transient Optional<DocumentService.Quality> quality;
    private final List<String> errors;

    public DocumentRejectedException(ErrorCode code, String message, String errorCode,
            Optional<DocumentService.Quality> quality, List<String> errors) {
        super(code, message);
        this.errorCode = errorCode;
        this.quality = quality;
        this.errors = List.copyOf(errors);
    }

    /** Machine-readable: IMAGE_QUALITY, NO_DOCUMENT, or an intake reason such as NOT_AN_IMAGE. */
    public String errorCode() {
        return errorCode;
    }

    public Optional<DocumentService.Quality> quality() {
        return quality;
    }

    /** Every reason, lower case, e.g. "blurry", "glare", "backImage: too_dark". */
    public List<String> errors() {
        return errors;
    }
}
