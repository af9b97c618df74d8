package org.openkyc.server.travelrule;

/**
 * Calls the exchange of another VASP (the gRPC client with mutual TLS
 * implements it). Implementations apply the configured deadline.
 */
public interface CounterpartClient {

    /** Asks the beneficiary VASP to verify a transfer. */
    VerificationAnswer requestVerification(VaspRegistry.CounterpartVasp to, VerificationRequest request)
            throws CounterpartException;

    /** Reports the transaction of a verified transfer to the beneficiary VASP. */
    void reportTransaction(VaspRegistry.CounterpartVasp to, String uuid, String txHash, java.util.Optional<String> vout)
            throws CounterpartException;

    /** The counterpart did not answer usefully. */
    final class CounterpartException extends Exception {
        /** Why: no answer in time, not reachable, or it refused with an error. */
        public enum Kind {
            TIMEOUT, UNREACHABLE, REFUSED
        }

        private final Kind kind;

        public CounterpartException(Kind kind, String safeMessage, Throwable cause) {
            super(safeMessage, cause);
            this.kind = kind;
        }

        public Kind kind() {
            return kind;
        }
    }
}
