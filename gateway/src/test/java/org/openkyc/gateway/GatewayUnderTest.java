package org.openkyc.gateway;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A gateway on a free loopback port in front of an upstream test double, with a development
 * certificate in its own folder and an HTTPS client trusting it; started once per test class
 * ({@code @RegisterExtension static final GatewayUnderTest g = ...}) and stopped after it.
 */
final class GatewayUnderTest implements BeforeAllCallback, AfterAllCallback {

    private final String name;
    private final UnaryOperator<GatewayConfig.Builder> settings;

    UpstreamDouble upstream;
    Gateway gateway;
    TestHttp http;
    Path certDir;

    /**
     * @param name     the upstream double's name
     * @param settings the test class's own settings on top of host, port, upstream and certificate folder
     */
    GatewayUnderTest(String name, UnaryOperator<GatewayConfig.Builder> settings) {
        this.name = name;
        this.settings = settings;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        certDir = Files.createTempDirectory("openkyc-gateway-test");
        upstream = UpstreamDouble.start(name);
        gateway = Gateway.start(settings.apply(GatewayConfig.builder().host("127.0.0.1").port(0)
                                                            .upstreams(upstream.address()).devCertDir(certDir))
                                        .build());
        http = new TestHttp(gateway);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (upstream != null) {
            upstream.close();
        }
        if (certDir != null) {
            try (Stream<Path> files = Files.walk(certDir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException e) {
                // a temporary folder: left for the system to clean
            }
        }
    }
}
