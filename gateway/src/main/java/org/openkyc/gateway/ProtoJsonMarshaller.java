package org.openkyc.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

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

import com.linecorp.armeria.common.grpc.GrpcJsonMarshaller;

import io.grpc.MethodDescriptor.Marshaller;
import io.grpc.MethodDescriptor.PrototypeMarshaller;
import io.grpc.Status;

/**
 * The JSON marshaller of the transcoded routes, on protobuf's own {@link JsonFormat}:
 * <ul>
 *   <li>prints {@code json_name}s (never the proto field names), and every field without
 *       presence even at its default value ({@code "code":0}, {@code "Items":[]}), while unset
 *       proto3 {@code optional} fields stay absent;</li>
 *   <li>parses proto names and {@code json_name}s alike; unknown fields are ignored (clients of
 *       the vendor APIs may send more than we know), but a value of the wrong type, or an
 *       unknown enum value, is {@code INVALID_ARGUMENT} naming the field.</li>
 * </ul>
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
            .build();

    private ProtoJsonMarshaller() {}

    @Override
    public <T> void serializeMessage(Marshaller<T> marshaller, T message, OutputStream os) throws IOException {
        final Writer writer = new OutputStreamWriter(os, StandardCharsets.UTF_8);
        PRINTER.appendTo((Message) message, writer);
        writer.flush();
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T deserializeMessage(Marshaller<T> marshaller, InputStream is) throws IOException {
        if (!(marshaller instanceof PrototypeMarshaller<T> prototypeMarshaller)) {
            throw new IllegalStateException("Not a protobuf marshaller: " + marshaller);
        }
        final Message prototype = (Message) prototypeMarshaller.getMessagePrototype();
        final String json = new String(is.readAllBytes(), StandardCharsets.UTF_8);
        try {
            final Message.Builder builder = prototype.newBuilderForType();
            PARSER.merge(json, builder);
            return (T) builder.build();
        } catch (InvalidProtocolBufferException | RuntimeException strictFailure) {
            return (T) parseLeniently(prototype, json);
        }
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

    /** Removes, recursively, the keys that name no field of {@code type}. */
    static void pruneUnknown(Descriptor type, ObjectNode object) {
        final List<String> unknown = new ArrayList<>();
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

    private static FieldDescriptor field(Descriptor type, String name) {
        final FieldDescriptor byName = type.findFieldByName(name);
        if (byName != null) {
            return byName;
        }
        for (FieldDescriptor f : type.getFields()) {
            if (f.getJsonName().equals(name)) {
                return f;
            }
        }
        return null;
    }
}
