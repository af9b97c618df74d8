package org.openkyc.launcher;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** A multipart/form-data body, as a browser form or {@code curl -F} sends it. */
final class Multipart {

    static final String BOUNDARY = "----openkyc-form-5b1e9c";
    static final String CONTENT_TYPE = "multipart/form-data; boundary=" + BOUNDARY;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Multipart text(String name, String value) {
        write("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value
                + "\r\n");
        return this;
    }

    Multipart file(String name, String filename, String type, byte[] bytes) {
        write("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\""
                + filename + "\"\r\nContent-Type: " + type + "\r\n\r\n");
        out.writeBytes(bytes);
        write("\r\n");
        return this;
    }

    byte[] build() {
        write("--" + BOUNDARY + "--\r\n");
        return out.toByteArray();
    }

    private void write(String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }
}
