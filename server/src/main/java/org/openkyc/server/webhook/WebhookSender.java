package org.openkyc.server.webhook;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/** Sends one webhook request: the engine behind the worker (HTTPS in the product, a fake in tests). */
public interface WebhookSender {

    /** The receiver's answer: its HTTP status and the start of its body. */
    record Answer(int status, String excerpt) {
        public boolean delivered() {
            return status >= 200 && status < 300;
        }
    }

    /**
     * POSTs the JSON body with the headers and waits at most {@code timeout} for the answer.
     *
     * @throws IOException when no answer came (refused, reset, timed out, TLS refused)
     */
    Answer post(URI url, Map<String, String> headers, byte[] body, Duration timeout) throws IOException;
}
