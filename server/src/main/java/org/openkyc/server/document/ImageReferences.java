package org.openkyc.server.document;

import java.util.Base64;
import java.util.regex.Pattern;
import org.openkyc.server.error.DomainException;
import org.openkyc.server.error.ErrorCode;

/**
 * Turns an image reference of the KYC web API's /document into bytes: a {@code data:image/...;base64,}
 * URL or bare base64 is decoded here; any other URL goes to the {@link ImageFetcher}, which refuses
 * what it may not contact. The bytes then go through the same intake as an upload.
 */
public final class ImageReferences {

    private static final Pattern DATA_URL = Pattern.compile("(?is)^data:image/[a-z0-9.+-]+(;[a-z0-9=.+-]+)*;base64,");
    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");
    private static final Pattern BASE64 = Pattern.compile("^[A-Za-z0-9+/_-]+={0,2}$");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private final ImageFetcher fetcher;
    private final long maxBytes;

    public ImageReferences(ImageFetcher fetcher, long maxBytes) {
        this.fetcher = fetcher;
        this.maxBytes = maxBytes;
    }

    /**
     * The image bytes the reference stands for.
     *
     * @throws DomainException INVALID_ARGUMENT when it is none of the accepted forms or a URL that may not
     *         be fetched; PAYLOAD_TOO_LARGE over the image byte limit; what the fetcher throws
     */
    public byte[] resolve(String reference, String field) {
        String ref = reference == null ? "" : reference.strip();
        if (ref.isEmpty()) {
            throw DomainException.invalidField(field, field + " is required");
        }
        java.util.regex.Matcher data = DATA_URL.matcher(ref);
        if (data.lookingAt()) {
            return decode(ref.substring(data.end()), field);
        }
        if (ref.regionMatches(true, 0, "data:", 0, 5)) {
            throw DomainException.invalidField(field, field + " must be a base64 data: URL of an image (data:image/...;base64,...)");
        }
        if (SCHEME.matcher(ref).find() && !looksLikeBase64(ref)) {
            return fetcher.fetch(ref, field);
        }
        return decode(ref, field);
    }

    private static boolean looksLikeBase64(String s) {
        return BASE64.matcher(WHITESPACE.matcher(s).replaceAll("")).matches();
    }

    private byte[] decode(String payload, String field) {
        String compact = WHITESPACE.matcher(payload).replaceAll("");
        if (compact.length() / 4 * 3 > maxBytes + 3) {
            throw new DomainException(ErrorCode.PAYLOAD_TOO_LARGE, field + " is larger than " + maxBytes + " bytes");
        }
        if (!BASE64.matcher(compact).matches()) {
            throw DomainException.invalidField(field, field + " is neither an https URL, a data: URL nor base64");
        }
        try {
            return compact.indexOf('-') >= 0 || compact.indexOf('_') >= 0
                    ? Base64.getUrlDecoder().decode(compact)
                    : Base64.getDecoder().decode(compact);
        } catch (IllegalArgumentException e) {
            throw DomainException.invalidField(field, field + " is not valid base64");
        }
    }
}
