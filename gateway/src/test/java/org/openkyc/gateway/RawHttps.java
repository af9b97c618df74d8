package org.openkyc.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * An HTTP/1.1 client on a bare TLS socket, to send a request body that is never finished: a declared
 * {@code Content-Length} with only part of the body, or a chunked body that keeps growing. It reads
 * the answer while the body is still incomplete, so a test can show the gateway answered before reading
 * it all. The end-to-end tests use it too (this module's test jar).
 */
public final class RawHttps implements AutoCloseable {

    /** The status line's code, the headers block (lower-cased names) and the body of an answer. */
    public record Answer(int status, String headers, String body, long bodyBytesSent) {}

    private final SSLSocket socket;
    private final String host;

    public RawHttps(Path certPem, int port) throws Exception {
        final SSLContext ssl = TestHttp.trusting(certPem);
        socket = (SSLSocket) ssl.getSocketFactory().createSocket("127.0.0.1", port);
        final SSLParameters params = socket.getSSLParameters();
        params.setApplicationProtocols(new String[] {"http/1.1"});
        socket.setSSLParameters(params);
        socket.setSoTimeout(15_000);
        socket.startHandshake();
        host = "127.0.0.1:" + port;
    }

    /** Headers with a Content-Length of {@code declared} bytes, then only {@code sent} bytes of body; reads the answer. */
    public Answer postPartial(String path, String apiKey, long declared, int sent) throws IOException {
        final OutputStream out = socket.getOutputStream();
        out.write(head(path, apiKey, "Content-Length: " + declared));
        out.write(new byte[sent]);
        out.flush();
        return read(sent);
    }

    /**
     * As {@link #postPartial}, but waits at most {@code timeoutMs} for the status line: a route that
     * accepts the declared length keeps waiting for the body, and this throws SocketTimeoutException.
     */
    public int postPartialWithTimeout(String path, String apiKey, long declared, int sent, int timeoutMs)
            throws IOException {
        socket.setSoTimeout(timeoutMs);
        final OutputStream out = socket.getOutputStream();
        out.write(head(path, apiKey, "Content-Length: " + declared));
        out.write(new byte[sent]);
        out.flush();
        return Integer.parseInt(readHead(socket.getInputStream()).substring(9, 12));
    }

    /**
     * Headers with chunked transfer encoding, then 64 KiB chunks from another thread until the answer
     * arrives or the gateway stops reading; the last chunk is never sent. Reads the answer.
     *
     * @param filePart true to start the body as a well-formed multipart file part (an oversized video),
     *                 false to send bytes that are not multipart at all
     */
    public Answer postGrowingChunked(String path, String apiKey, boolean filePart) throws Exception {
        final OutputStream out = socket.getOutputStream();
        out.write(head(path, apiKey, "Transfer-Encoding: chunked"));
        if (filePart) {
            final byte[] part = ("--raw-boundary\r\nContent-Disposition: form-data; name=\"video1\"; "
                                 + "filename=\"v.mp4\"\r\nContent-Type: video/mp4\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            out.write((Integer.toHexString(part.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(part);
            out.write(new byte[] {'\r', '\n'});
        }
        out.flush();
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicLong sent = new AtomicLong();
        final Thread writer = new Thread(() -> {
            final byte[] chunk = new byte[64 * 1024];
            final byte[] size = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            final byte[] crlf = {'\r', '\n'};
            try {
                while (!stop.get()) {
                    out.write(size);
                    out.write(chunk);
                    out.write(crlf);
                    out.flush();
                    sent.addAndGet(chunk.length);
                }
            } catch (IOException e) {
                // The gateway closed the connection after answering: expected.
            }
        }, "raw-https-writer");
        writer.setDaemon(true);
        writer.start();
        try {
            final Answer a = read(-1);
            return new Answer(a.status(), a.headers(), a.body(), sent.get());
        } finally {
            stop.set(true);
        }
    }

    private byte[] head(String path, String apiKey, String lengthHeader) {
        return ("POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\nx-api-key: " + apiKey
                + "\r\nContent-Type: multipart/form-data; boundary=raw-boundary\r\n" + lengthHeader
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** Reads one answer: status line, headers, and a Content-Length or chunked body. */
    private Answer read(long sent) throws IOException {
        final InputStream in = socket.getInputStream();
        final String headers;
        try {
            headers = readHead(in);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no answer within 15 s while the body was incomplete", e);
        }
        final int status = Integer.parseInt(headers.substring(9, 12));
        final String lower = headers.toLowerCase(Locale.ROOT);
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        final int cl = lower.indexOf("content-length:");
        if (cl >= 0) {
            final int end = lower.indexOf('\r', cl);
            final int length = Integer.parseInt(lower.substring(cl + 15, end).trim());
            body.write(in.readNBytes(length));
        } else if (lower.contains("transfer-encoding: chunked")) {
            while (true) {
                final int size = Integer.parseInt(readLine(in).trim(), 16);
                if (size == 0) {
                    break;
                }
                body.write(in.readNBytes(size));
                readLine(in);
            }
        }
        return new Answer(status, lower, body.toString(StandardCharsets.UTF_8), sent);
    }

    /**
     * Sends a request written out in full (request line, headers, any body) and returns the answer's status
     * line and headers, as received.
     */
    public String exchangeHead(String request) throws IOException {
        final OutputStream out = socket.getOutputStream();
        out.write(request.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return readHead(socket.getInputStream()) + "\r\n";
    }

    private static String readHead(InputStream in) throws IOException {
        final StringBuilder sb = new StringBuilder();
        while (true) {
            final String line = readLine(in);
            if (line.isEmpty()) {
                return sb.toString();
            }
            sb.append(line).append("\r\n");
        }
    }

    private static String readLine(InputStream in) throws IOException {
        final StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                break;
            }
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        if (c < 0 && sb.length() == 0) {
            throw new IOException("connection closed before an answer");
        }
        return sb.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
