package org.openkyc.server.screening;

/**
 * A list file that cannot be read as its format says: the message names the
 * file and, where it can, the line or record, and never holds list content
 * beyond that position.
 */
public final class ListFormatException extends Exception {

    public ListFormatException(String message) {
        super(message);
    }

    public ListFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
