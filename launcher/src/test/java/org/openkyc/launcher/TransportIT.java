package org.openkyc.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** HTTPS only, and the docs page. */
class TransportIT {

    private final TestProduct p = TestProduct.get();

    @Test
    void plainHttpGetsNoData() throws Exception {
        String id = p.createProfile(p.clientKeyA, "plain-http");
        byte[] answer;
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", p.product.gateway().httpsPort()), 5000);
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(("GET /v2/submission?submission_id=" + id + " HTTP/1.1\r\nHost: localhost\r\nx-api-key: "
                    + p.clientKeyA + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            try {
                answer = in.readAllBytes();
            } catch (SocketException e) {
                answer = new byte[0];
            }
        }
        String text = new String(answer, StandardCharsets.ISO_8859_1);
        assertThat(text).doesNotContain(id).doesNotContain("plain-http").doesNotContain("Items");
        assertThat(text).doesNotStartWith("HTTP/1.1 200");
    }

    @Test
    void docsAreServed() {
        HttpResponse<String> r = p.call("GET", "/docs/", null, null);
        assertThat(r.statusCode()).isEqualTo(200);
    }
}
