package org.openkyc.server.webhook;

/**
 * Told of every delivery attempt the worker makes (the metrics of the product listen; tests need not). Called on
 * the worker's thread after the outcome is written; must not throw or block.
 */
public interface DeliveryObserver {

    /** What became of an attempt. */
    enum Outcome {
        /** The receiver answered 2xx. */
        DELIVERED,
        /** Not delivered; sent again after the backoff. */
        RETRY,
        /** Not delivered and the attempts are used up. */
        FAILED
    }

    /**
     * @param status the receiver's HTTP status, or 0 when none came (refused, unreachable, timed out)
     * @param nanos  how long the request took (0 when the URL was refused before any connection)
     */
    void attempted(Outcome outcome, int status, long nanos);

    /** Listens to nothing. */
    DeliveryObserver NONE = (outcome, status, nanos) -> {
    };
}
