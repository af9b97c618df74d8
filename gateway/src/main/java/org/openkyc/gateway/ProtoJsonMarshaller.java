package org.openkyc.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;

import org.curioswitch.common.protobuf.json.MessageMarshaller;

import com.linecorp.armeria.common.grpc.GrpcJsonMarshaller;

import io.grpc.MethodDescriptor.Marshaller;
import io.grpc.MethodDescriptor.PrototypeMarshaller;
import io.grpc.Status;

/**
 * The JSON marshaller of the transcoded routes, in protobuf's JSON mapping ({@link JsonFormat}'s):
 * <ul>
 *   <li>prints {@code json_name}s (never the proto field names), and every field without
 *       presence even at its default value ({@code "code":0}, {@code "Items":[]}), while unset
 *       proto3 {@code optional} fields stay absent;</li>
 *   <li>parses proto names and {@code json_name}s alike; unknown fields are ignored (clients of
 *       the vendor APIs may send more than we know), but a value of the wrong type, or an
 *       unknown enum value, is {@code INVALID_ARGUMENT} naming the field.</li>
 * </ul>
 * Answers are printed by protobuf-jackson's {@link MessageMarshaller}, which writes the same JSON as
 * {@link JsonFormat}'s printer from code generated once per message type instead of reading every field
 * through reflection (a page of 50 submissions in 50 instead of 270-310 microseconds); escapes are
 * spelled alike but for the hex case ({@code \u003D}) and U+2028/U+2029, which it leaves unescaped as JSON
 * allows. Dynamic messages (error details) are printed by {@link JsonFormat}.
 */
final class ProtoJsonMarshaller implements GrpcJsonMarshaller {

    static final ProtoJsonMarshaller INSTANCE = new ProtoJsonMarshaller();

    private static final JsonFormat.Printer PRINTER =
            JsonFormat.printer().alwaysPrintFieldsWithNoPresence().omittingInsignificantWhitespace();
    /** Strict: unknown fields are pruned before a second attempt, so unknown enum values still fail. */
    private static final JsonFormat.Parser PARSER = JsonFormat.parser();
    /** Keeps every number exactly as written (int64 beyond 2^53, decimals). */
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            // Exact decimals: 100.0 stays 100.0 (not 1E+2) when a printed answer is rewritten.
            .nodeFactory(com.fasterxml.jackson.databind.node.JsonNodeFactory.withExactBigDecimals(true))
            .build();

    private ProtoJsonMarshaller() {}

    @Override
    public <T> void serializeMessage(Marshaller<T> marshaller, T message, OutputStream os) throws IOException {
        final Message m = (Message) message;
        final Optional<MessageMarshaller> printer = printerOf(m);
        if (printer.isPresent() && !printsInt64(m)) {
            printer.get().writeValue(m, os);
        } else {
            os.write(print(m).getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * A printer per message type, made on the type's first answer (generating its code takes milliseconds);
     * none for a dynamic message, or a type whose code protobuf-jackson cannot generate (it finds no setter
     * for some of the step-2 answer's fields): those are printed by {@link JsonFormat}.
     */
    private static final Map<Class<?>, Optional<MessageMarshaller>> PRINTERS =
            new java.util.concurrent.ConcurrentHashMap<>();

    private static Optional<MessageMarshaller> printerOf(Message m) {
        if (m instanceof DynamicMessage) {
            return Optional.empty();
        }
        return PRINTERS.computeIfAbsent(m.getClass(), type -> {
            try {
                return Optional.of(MessageMarshaller.builder()
                        .register(m.getDefaultInstanceForType())
                        .includingDefaultValueFields(true)
                        .omittingInsignificantWhitespace(true)
                        .build());
            } catch (RuntimeException e) {
                return Optional.empty();
            }
        });
    }

    /** The message as JSON text, with 64-bit integers as proto3 JSON has them (strings). */
    private static String text(Message m) throws IOException {
        final Optional<MessageMarshaller> printer = printerOf(m);
        return printer.isPresent() ? printer.get().writeValueAsString(m) : PRINTER.print(m);
    }

    /**
     * The message as JSON. Proto3 JSON prints 64-bit integers as strings; the documented APIs show ids
     * such as {@code documentId} as JSON numbers (e.g. {@code 123456789}). So every 64-bit integer whose
     * value a JSON number holds exactly (within ±2^53, what JavaScript and most parsers read without
     * loss) is printed as a number; values outside that range stay strings, as proto3 JSON has them.
     * The fields are found by walking the message's descriptor along the printed tree.
     */
    static String print(Message message) throws IOException {
        final String json = text(message);
        if (!printsInt64(message)) {
            return json;
        }
        final Descriptor type = message.getDescriptorForType();
        final JsonNode tree = MAPPER.readTree(json);
        if (tree instanceof ObjectNode object) {
            int64AsNumbers(type, object);
        }
        return MAPPER.writeValueAsString(tree);
    }

    private static final java.util.Map<Descriptor, Boolean> HAS_INT64 = new java.util.concurrent.ConcurrentHashMap<>();
    /** The largest integer a JSON number (an IEEE double) holds exactly. */
    private static final long MAX_EXACT = (1L << 53) - 1;

    /**
     * True when the printed JSON of {@code message} holds a 64-bit integer, so that it needs the rewrite of
     * {@link #print}: the type has an int64 field without presence (printed even at 0), or one with presence
     * that is set, here or in a set sub-message. Most answers (a status without a document id) have none, and
     * skip re-reading their own JSON.
     */
    static boolean printsInt64(Message message) {
        final Descriptor type = message.getDescriptorForType();
        if (!hasInt64(type, new java.util.HashSet<>())) {
            return false;
        }
        for (FieldDescriptor f : type.getFields()) {
            if (f.isMapField()) {
                if (message.getRepeatedFieldCount(f) > 0) {
                    return true; // rare (no map of this API holds int64): take the safe path
                }
            } else if (is64(f)) {
                if (f.isRepeated() ? message.getRepeatedFieldCount(f) > 0 : !f.hasPresence() || message.hasField(f)) {
                    return true;
                }
            } else if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                if (f.isRepeated()) {
                    for (int i = 0, n = message.getRepeatedFieldCount(f); i < n; i++) {
                        if (printsInt64((Message) message.getRepeatedField(f, i))) {
                            return true;
                        }
                    }
                } else if (message.hasField(f) && printsInt64((Message) message.getField(f))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean hasInt64(Descriptor type, java.util.Set<Descriptor> seen) {
        final Boolean known = HAS_INT64.get(type);
        if (known != null) {
            return known;
        }
        if (!seen.add(type)) {
            return false; // a recursive type: answered where the walk started
        }
        boolean found = false;
        for (FieldDescriptor f : type.getFields()) {
            if (is64(f) || (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE
                            && hasInt64(f.getMessageType(), seen))) {
                found = true;
                break;
            }
        }
        if (seen.size() == 1 || found) {
            HAS_INT64.put(type, found);
        }
        return found;
    }

    private static boolean is64(FieldDescriptor f) {
        switch (f.getType()) {
            case INT64: case SINT64: case SFIXED64: case UINT64: case FIXED64:
                return true;
            case MESSAGE:
                final String name = f.getMessageType().getFullName();
                return "google.protobuf.Int64Value".equals(name) || "google.protobuf.UInt64Value".equals(name);
            default:
                return false;
        }
    }

    /** Rewrites, recursively, the 64-bit integer fields of {@code type} in {@code object} as numbers. */
    static void int64AsNumbers(Descriptor type, ObjectNode object) {
        for (FieldDescriptor f : type.getFields()) {
            final String key = object.has(f.getJsonName()) ? f.getJsonName() : f.getName();
            final JsonNode value = object.get(key);
            if (value == null || value.isNull()) {
                continue;
            }
            if (f.isMapField()) {
                final FieldDescriptor valueField = f.getMessageType().findFieldByName("value");
                if (value instanceof ObjectNode map) {
                    final List<String> keys = new ArrayList<>();
                    map.fieldNames().forEachRemaining(keys::add);
                    for (String k : keys) {
                        map.set(k, convert(valueField, map.get(k)));
                    }
                }
            } else if (f.isRepeated()) {
                if (value instanceof com.fasterxml.jackson.databind.node.ArrayNode array) {
                    for (int i = 0; i < array.size(); i++) {
                        array.set(i, convert(f, array.get(i)));
                    }
                }
            } else {
                object.set(key, convert(f, value));
            }
        }
    }

    private static JsonNode convert(FieldDescriptor f, JsonNode value) {
        if (is64(f)) {
            if (value.isTextual()) {
                try {
                    final java.math.BigInteger n = new java.math.BigInteger(value.asText());
                    if (n.abs().compareTo(java.math.BigInteger.valueOf(MAX_EXACT)) <= 0) {
                        return com.fasterxml.jackson.databind.node.LongNode.valueOf(n.longValueExact());
                    }
                } catch (NumberFormatException | ArithmeticException e) {
                    // not a plain integer: left as printed
                }
            }
            return value;
        }
        if (isPlainMessage(f) && value instanceof ObjectNode child) {
            int64AsNumbers(f.getMessageType(), child);
        }
        return value;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T deserializeMessage(Marshaller<T> marshaller, InputStream is) throws IOException {
        if (!(marshaller instanceof PrototypeMarshaller<T> prototypeMarshaller)) {
            throw new IllegalStateException("Not a protobuf marshaller: " + marshaller);
        }
        final Message prototype = (Message) prototypeMarshaller.getMessagePrototype();
        final String json = new String(readAll(is), StandardCharsets.UTF_8);
        try {
            final Message.Builder builder = prototype.newBuilderForType();
            PARSER.merge(json, builder);
            return (T) builder.build();
        } catch (InvalidProtocolBufferException | RuntimeException strictFailure) {
            return (T) parseLeniently(prototype, json);
        }
    }

    /**
     * The whole body. Bodies arrive as in-memory streams that know their length, so this reads them in one
     * array of that length instead of {@link InputStream#readAllBytes}' 8 KiB chunks and copy.
     */
    private static byte[] readAll(InputStream is) throws IOException {
        final int known = is.available();
        final byte[] head = is.readNBytes(Math.max(known, 0));
        final int next = is.read();
        if (next < 0) {
            return head;
        }
        final java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream(head.length + 256);
        all.write(head);
        all.write(next);
        is.transferTo(all);
        return all.toByteArray();
    }

    /** Drops unknown fields and parses again; names the offending field when that fails too. */
    private static Message parseLeniently(Message prototype, String json) {
        final Descriptor type = prototype.getDescriptorForType();
        final JsonNode tree;
        try {
            tree = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw invalid("Request body is not valid JSON");
        }
        if (!(tree instanceof ObjectNode object)) {
            throw invalid("Request body must be a JSON object");
        }
        pruneUnknown(type, object);
        try {
            final Message.Builder builder = prototype.newBuilderForType();
            PARSER.merge(MAPPER.writeValueAsString(object), builder);
            return builder.build();
        } catch (InvalidProtocolBufferException | JsonProcessingException | RuntimeException e) {
            final String path = badField(type, object, "");
            throw invalid(path != null ? "Field '" + path + "' has a wrong type or value"
                                       : "Request body has a wrong type or value for a field");
        }
    }

    private static RuntimeException invalid(String message) {
        return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
    }

    /**
     * Removes, recursively, the keys that name no field of {@code type}. Linear in the number of keys: each key
     * is looked up once, and the unknown ones are removed through a hash set (removing a list of them from the
     * object's key set would compare every key with every unknown one).
     */
    static void pruneUnknown(Descriptor type, ObjectNode object) {
        final java.util.Set<String> unknown = new java.util.HashSet<>();
        final Iterator<Map.Entry<String, JsonNode>> it = object.fields();
        while (it.hasNext()) {
            final Map.Entry<String, JsonNode> entry = it.next();
            final FieldDescriptor field = field(type, entry.getKey());
            if (field == null) {
                unknown.add(entry.getKey());
            } else if (isPlainMessage(field)) {
                final JsonNode value = entry.getValue();
                if (value instanceof ObjectNode child) {
                    pruneUnknown(field.getMessageType(), child);
                } else if (value.isArray()) {
                    for (JsonNode element : value) {
                        if (element instanceof ObjectNode child) {
                            pruneUnknown(field.getMessageType(), child);
                        }
                    }
                }
            }
        }
        object.remove(unknown);
    }

    /** The path of the first field whose value does not parse ({@code a.b} for nested messages). */
    private static String badField(Descriptor type, ObjectNode object, String prefix) {
        final Iterator<Map.Entry<String, JsonNode>> it = object.fields();
        while (it.hasNext()) {
            final Map.Entry<String, JsonNode> entry = it.next();
            final String name = entry.getKey();
            try {
                final ObjectNode single = MAPPER.createObjectNode();
                single.set(name, entry.getValue());
                PARSER.merge(MAPPER.writeValueAsString(single), DynamicMessage.newBuilder(type));
                continue;
            } catch (InvalidProtocolBufferException | JsonProcessingException | RuntimeException e) {
                // this field is wrong: look deeper when it is a message given as an object
            }
            final FieldDescriptor field = field(type, name);
            if (field != null && isPlainMessage(field) && !field.isRepeated()
                && entry.getValue() instanceof ObjectNode child) {
                final String nested = badField(field.getMessageType(), child, prefix + name + '.');
                if (nested != null) {
                    return nested;
                }
            }
            return prefix + name;
        }
        return null;
    }

    /** A message field written as a JSON object (not a map, not a well-known type with its own JSON form). */
    private static boolean isPlainMessage(FieldDescriptor field) {
        return field.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !field.isMapField()
               && !field.getMessageType().getFullName().startsWith("google.protobuf.");
    }

    private static final Map<Descriptor, Map<String, FieldDescriptor>> FIELDS_BY_NAME =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** The field named {@code name} (proto name or json_name) of {@code type}, by one hash lookup. */
    private static FieldDescriptor field(Descriptor type, String name) {
        return FIELDS_BY_NAME.computeIfAbsent(type, t -> {
            final Map<String, FieldDescriptor> names = new java.util.HashMap<>();
            for (FieldDescriptor f : t.getFields()) {
                names.putIfAbsent(f.getJsonName(), f);
            }
            for (FieldDescriptor f : t.getFields()) {
                names.put(f.getName(), f); // the proto name wins, as findFieldByName did
            }
            return Map.copyOf(names);
        }).get(name);
    }
}
