package org.openkyc.gateway;

import java.util.concurrent.CompletableFuture;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.multipart.AggregatedBodyPart;
import com.linecorp.armeria.common.multipart.AggregatedMultipart;
import com.linecorp.armeria.common.multipart.Multipart;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;

import io.grpc.MethodDescriptor;

/**
 * A plain route for a documented {@code multipart/form-data} POST (docs/API.md A3, A4, C1, liveness verify),
 * which JSON transcoding cannot read. Generic over the gRPC method: every part is matched to a field of
 * the request message by its JSON name or its proto field name; text parts fill string, enum, number
 * and boolean fields, and file parts fill bytes fields. Parts that name no field are ignored. A field
 * named as the client-address field is filled by the gateway with the caller's address, never by a part. The request
 * is then sent upstream through {@link UpstreamForwarder#unary} with the forwarded headers, and the answer
 * or the error is rendered exactly like the transcoded routes. The body size is bounded by the route's
 * {@code maxRequestLength} (see {@link Gateway.Uploads}): 413 as soon as the declared length or the bytes
 * received pass it, before the body is read in full.
 *
 * @param <ReqT>  the request message
 * @param <RespT> the response message
 */
final class MultipartRoute<ReqT extends Message, RespT extends Message> implements HttpService {

    private final UpstreamForwarder upstream;
    private final MethodDescriptor<ReqT, RespT> method;
    private final ReqT prototype;
    private final FieldDescriptor clientAddressField;

    /**
     * @param clientAddressField the proto name of a string field the gateway fills with the caller's
     *                           address (a part of that name is ignored), or null
     */
    MultipartRoute(UpstreamForwarder upstream, MethodDescriptor<ReqT, RespT> method, ReqT prototype,
                   String clientAddressField) {
        this.upstream = upstream;
        this.method = method;
        this.prototype = prototype;
        this.clientAddressField = clientAddressField == null ? null
                : prototype.getDescriptorForType().findFieldByName(clientAddressField);
        if (clientAddressField != null && (this.clientAddressField == null
                || this.clientAddressField.getJavaType() != FieldDescriptor.JavaType.STRING)) {
            throw new IllegalArgumentException(clientAddressField + " is not a string field of "
                                               + prototype.getDescriptorForType().getFullName());
        }
    }

    @Override
    public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
        final MediaType type = req.contentType();
        if (type == null || !type.is(MediaType.MULTIPART_FORM_DATA)) {
            return Errors.render(ctx, ctx.path(), Errors.fromHttp(HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                    "Send the fields as multipart/form-data")).toHttpResponse();
        }
        // The body is read in full first, whatever its content: the route's size limit then applies to every
        // byte as it arrives (a multipart parser stops asking for data it cannot use, e.g. before a boundary,
        // which would leave an oversized body waiting for the request timeout instead of a 413).
        return HttpResponse.of(req.aggregate().thenCompose(body -> Multipart.from(body.toHttpRequest()).aggregate())
                                  .handle((multipart, readFailure) -> {
            if (readFailure != null) {
                return CompletableFuture.completedFuture(
                        PlainRoutes.unreadable(ctx, readFailure, "multipart body"));
            }
            final ReqT request;
            try {
                request = parse(multipart, ctx);
            } catch (BadPart e) {
                return CompletableFuture.completedFuture(Errors.render(ctx, ctx.path(),
                        Errors.fromHttp(HttpStatus.BAD_REQUEST, e.getMessage())).toHttpResponse());
            }
            return PlainRoutes.call(ctx, upstream, method, request);
        }).thenCompose(f -> f));
    }

    @SuppressWarnings("unchecked")
    private ReqT parse(AggregatedMultipart multipart, ServiceRequestContext ctx) throws BadPart {
        final Descriptor descriptor = prototype.getDescriptorForType();
        final Message.Builder b = prototype.newBuilderForType();
        for (AggregatedBodyPart part : multipart.bodyParts()) {
            final String name = part.name();
            if (name == null) {
                continue;
            }
            final FieldDescriptor field = field(descriptor, name);
            if (field == null || field.isRepeated() || field.getJavaType() == FieldDescriptor.JavaType.MESSAGE
                || field.equals(clientAddressField)) {
                continue;
            }
            if (field.getJavaType() == FieldDescriptor.JavaType.BYTE_STRING) {
                b.setField(field, ByteString.copyFrom(part.content().array()));
                continue;
            }
            final String text = part.contentUtf8().strip();
            if (text.isEmpty()) {
                continue;
            }
            try {
                switch (field.getJavaType()) {
                    case STRING -> b.setField(field, text);
                    case ENUM -> b.setField(field, enumValue(field, text));
                    case BOOLEAN -> b.setField(field, Boolean.parseBoolean(text));
                    case INT -> b.setField(field, Integer.parseInt(text));
                    case LONG -> b.setField(field, Long.parseLong(text));
                    case FLOAT -> b.setField(field, Float.parseFloat(text));
                    case DOUBLE -> b.setField(field, Double.parseDouble(text));
                    default -> { }
                }
            } catch (NumberFormatException e) {
                throw new BadPart(name + " is not a number");
            }
        }
        if (clientAddressField != null && ctx.clientAddress() != null) {
            b.setField(clientAddressField, ctx.clientAddress().getHostAddress());
        }
        return (ReqT) b.build();
    }

    private static FieldDescriptor field(Descriptor descriptor, String name) {
        for (FieldDescriptor f : descriptor.getFields()) {
            if (f.getJsonName().equals(name) || f.getName().equals(name)) {
                return f;
            }
        }
        return null;
    }

    private static EnumValueDescriptor enumValue(FieldDescriptor field, String text) throws BadPart {
        for (EnumValueDescriptor v : field.getEnumType().getValues()) {
            if (v.getNumber() != 0 && v.getName().equalsIgnoreCase(text)) {
                return v;
            }
        }
        final StringBuilder allowed = new StringBuilder();
        for (EnumValueDescriptor v : field.getEnumType().getValues()) {
            if (v.getNumber() != 0) {
                allowed.append(allowed.length() == 0 ? "" : ", ").append(v.getName());
            }
        }
        throw new BadPart(field.getJsonName() + " must be one of " + allowed);
    }

    /** A part the route cannot map: answered 400 without calling upstream. */
    private static final class BadPart extends Exception {
        private static final long serialVersionUID = 1L;

        BadPart(String message) {
            super(message, null, false, false);
        }
    }
}
