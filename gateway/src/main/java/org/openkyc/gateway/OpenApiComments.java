package org.openkyc.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import com.google.protobuf.DescriptorProtos.SourceCodeInfo;
import com.google.protobuf.ExtensionRegistry;

/**
 * The proto comments, by full element name ({@code openkyc.kyc.v1.SubmitRequest.user_id},
 * {@code openkyc.kyc.v1.KycService.Submit}), read from the descriptor set with source information the
 * proto module writes into {@link #RESOURCE} (the same file the /docs page reads). The generated Java
 * descriptors carry no comments; without the resource every description is simply absent.
 */
final class OpenApiComments {

    static final String RESOURCE = "META-INF/armeria/grpc/openkyc.dsc";

    // Field numbers of descriptor.proto, as SourceCodeInfo paths use them.
    private static final int FILE_MESSAGE = 4;
    private static final int FILE_ENUM = 5;
    private static final int FILE_SERVICE = 6;
    private static final int MESSAGE_FIELD = 2;
    private static final int MESSAGE_NESTED = 3;
    private static final int MESSAGE_ENUM = 4;
    private static final int ENUM_VALUE = 2;
    private static final int SERVICE_METHOD = 2;

    private final Map<String, String> byName;

    private OpenApiComments(Map<String, String> byName) {
        this.byName = byName;
    }

    /** The comments of the descriptor set on the class path (none when it is absent). */
    static OpenApiComments load() {
        try (InputStream in = OpenApiComments.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return new OpenApiComments(Map.of());
            }
            return of(FileDescriptorSet.parseFrom(in, ExtensionRegistry.getEmptyRegistry()));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + RESOURCE, e);
        }
    }

    static OpenApiComments of(FileDescriptorSet set) {
        final Map<String, String> names = new HashMap<>();
        for (FileDescriptorProto file : set.getFileList()) {
            final String pkg = file.getPackage().isEmpty() ? "" : file.getPackage() + '.';
            for (SourceCodeInfo.Location location : file.getSourceCodeInfo().getLocationList()) {
                final String comment = clean(location.getLeadingComments());
                if (comment.isEmpty()) {
                    continue;
                }
                final String name = name(file, pkg, location.getPathList());
                if (name != null) {
                    names.put(name, comment);
                }
            }
        }
        return new OpenApiComments(Map.copyOf(names));
    }

    /** The comment of an element, or null. */
    String of(String fullName) {
        return byName.get(fullName);
    }

    private static String name(FileDescriptorProto file, String pkg, List<Integer> path) {
        if (path.size() < 2) {
            return null;
        }
        final int index = path.get(1);
        switch (path.get(0)) {
            case FILE_MESSAGE:
                return index < file.getMessageTypeCount()
                       ? messageName(file.getMessageType(index), pkg, path.subList(2, path.size())) : null;
            case FILE_ENUM:
                return index < file.getEnumTypeCount()
                       ? enumName(file.getEnumType(index), pkg, path.subList(2, path.size())) : null;
            case FILE_SERVICE: {
                if (index >= file.getServiceCount()) {
                    return null;
                }
                final ServiceDescriptorProto service = file.getService(index);
                final String name = pkg + service.getName();
                if (path.size() == 2) {
                    return name;
                }
                if (path.size() == 4 && path.get(2) == SERVICE_METHOD && path.get(3) < service.getMethodCount()) {
                    return name + '.' + service.getMethod(path.get(3)).getName();
                }
                return null;
            }
            default:
                return null;
        }
    }

    private static String messageName(DescriptorProto message, String prefix, List<Integer> rest) {
        final String name = prefix + message.getName();
        if (rest.isEmpty()) {
            return name;
        }
        if (rest.size() < 2) {
            return null;
        }
        final int index = rest.get(1);
        switch (rest.get(0)) {
            case MESSAGE_FIELD:
                return rest.size() == 2 && index < message.getFieldCount()
                       ? name + '.' + message.getField(index).getName() : null;
            case MESSAGE_NESTED:
                return index < message.getNestedTypeCount()
                       ? messageName(message.getNestedType(index), name + '.', rest.subList(2, rest.size())) : null;
            case MESSAGE_ENUM:
                return index < message.getEnumTypeCount()
                       ? enumName(message.getEnumType(index), name + '.', rest.subList(2, rest.size())) : null;
            default:
                return null;
        }
    }

    private static String enumName(EnumDescriptorProto type, String prefix, List<Integer> rest) {
        final String name = prefix + type.getName();
        if (rest.isEmpty()) {
            return name;
        }
        if (rest.size() == 2 && rest.get(0) == ENUM_VALUE && rest.get(1) < type.getValueCount()) {
            // Enum values are scoped like their enum's siblings in proto, but a name under the enum reads better.
            return name + '.' + type.getValue(rest.get(1)).getName();
        }
        return null;
    }

    /** One paragraph per blank-line-separated block, lines joined, surrounding blanks removed. */
    private static String clean(String comment) {
        if (comment == null || comment.isBlank()) {
            return "";
        }
        final StringBuilder sb = new StringBuilder(comment.length());
        for (String paragraph : comment.strip().split("\\n\\s*\\n")) {
            if (sb.length() > 0) {
                sb.append("\n\n");
            }
            final StringBuilder line = new StringBuilder();
            for (String part : paragraph.split("\\n")) {
                final String text = part.strip();
                if (!text.isEmpty()) {
                    if (line.length() > 0) {
                        line.append(' ');
                    }
                    line.append(text);
                }
            }
            sb.append(line);
        }
        return sb.toString();
    }
}
