package org.openkyc.gateway;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;

/**
 * One streaming pass over a JSON body before anything builds a tree of it: linear in the body's size,
 * it refuses a body nested deeper than the limit, with more object keys than the limit (counted over the
 * whole body), or with a key longer than the limit. Transcoding and the unknown-field pruning then only
 * ever see bodies of bounded shape.
 */
final class JsonLimits {

    private final int maxDepth;
    private final int maxKeys;
    private final int maxNameChars;
    private final JsonFactory factory;

    JsonLimits(int maxDepth, int maxKeys, int maxNameChars) {
        this.maxDepth = maxDepth;
        this.maxKeys = maxKeys;
        this.maxNameChars = maxNameChars;
        factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(maxDepth)
                        .maxNameLength(maxNameChars)
                        // String values are bounded by the route's body limit, checked before this pass.
                        .maxStringLength(Integer.MAX_VALUE)
                        .build())
                .build();
    }

    static JsonLimits of(GatewayConfig config) {
        return new JsonLimits(config.maxJsonDepth(), config.maxJsonKeys(), config.maxJsonNameChars());
    }

    /**
     * Null when {@code body} is within the limits (or is not JSON at all: the route's own parser says so),
     * else the message to answer with 400.
     */
    String refusal(byte[] body) {
        int keys = 0;
        try (JsonParser parser = factory.createParser(body)) {
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                if (token == JsonToken.FIELD_NAME && ++keys > maxKeys) {
                    return "Request body has more than " + maxKeys + " keys";
                }
            }
            return null;
        } catch (StreamConstraintsException e) {
            final String message = String.valueOf(e.getMessage());
            if (message.contains("nesting depth")) {
                return "Request body is nested deeper than " + maxDepth + " levels";
            }
            if (message.contains("Name length")) {
                return "Request body has a key longer than " + maxNameChars + " characters";
            }
            return "Request body is too complex";
        } catch (IOException e) {
            return "Request body is not valid JSON";
        }
    }
}
