package org.openkyc.server.api;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.openkyc.server.error.DomainException;

/** Formats and parses the wire forms of dates and times shared by the API adapters. */
final class Wire {

    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter BASIC_DATE = DateTimeFormatter.BASIC_ISO_DATE;

    private Wire() {
    }

    /** ISO-8601 UTC with milliseconds: "2022-04-07T00:30:35.919Z". */
    static String timestamp(Instant t) {
        return TIMESTAMP.format(t);
    }

    static String date(LocalDate d) {
        return d.toString();
    }

    /** An optional date given as YYYY-MM-DD or YYYYMMDD; empty when blank. */
    static Optional<LocalDate> optionalDate(String value, String field) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String v = value.strip();
        try {
            return Optional.of(v.length() == 8 ? LocalDate.parse(v, BASIC_DATE) : LocalDate.parse(v));
        } catch (DateTimeParseException e) {
            throw DomainException.invalidField(field, field + " must be a date as YYYY-MM-DD or YYYYMMDD");
        }
    }

    static Instant instant(String value, String field) {
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw DomainException.invalidField(field, field + " must be an ISO-8601 UTC time as returned in nextpageKey");
        }
    }

    static Optional<String> optionalText(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }
}
