package org.openkyc.server.document;

import org.openkyc.server.error.DomainException;

/** An upload refused at intake; {@link #reason()} is the stable reason code. */
public final class ImageRejectedException extends DomainException {

    private final ImageRejection reason;

    public ImageRejectedException(ImageRejection reason) {
        super(reason.errorCode(), reason.message() + " (" + reason.name() + ")");
        this.reason = reason;
    }

    public ImageRejection reason() {
        return reason;
    }
}
