package org.openkyc.server.kyc;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.openkyc.server.error.DomainException;

/**
 * Where the next page of the reviewer queue starts: after the case created at {@code createdAt} with row id
 * {@code id}, in the given order. Callers see it as an opaque token and only hand it back.
 */
record QueueCursor(Instant createdAt, long id, boolean oldestFirst) {

    private static final String VERSION = "q1";

    String encode() {
        String plain = VERSION + "." + (oldestFirst ? "o" : "n") + "." + createdAt.toEpochMilli() + "." + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.US_ASCII));
    }

    /** The cursor of a previous answer; anything else is refused as a bad cursor. */
    static QueueCursor decode(String token) {
        try {
            if (token.length() > 100) {
                throw new IllegalArgumentException("too long");
            }
            String[] p = new String(Base64.getUrlDecoder().decode(token.strip()), StandardCharsets.US_ASCII)
                    .split("\\.");
            if (p.length != 4 || !p[0].equals(VERSION) || !(p[1].equals("o") || p[1].equals("n"))) {
                throw new IllegalArgumentException("not a cursor");
            }
            return new QueueCursor(Instant.ofEpochMilli(Long.parseLong(p[2])), Long.parseLong(p[3]), p[1].equals("o"));
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            throw DomainException.invalidField("cursor", "cursor must be the nextCursor of a previous answer");
        }
    }
}
