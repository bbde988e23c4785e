package io.tokenledger.app.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.tokenledger.app.Api;
import io.tokenledger.app.Instances;
import io.tokenledger.app.IntegrationTest;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A request's W3C {@code traceparent} is continued: the log lines written for it carry its trace id, and with an
 * OTLP endpoint configured its spans are exported there, in the caller's trace, also when the instance itself would
 * sample nothing (the caller's decision is kept).
 */
@ExtendWith(OutputCaptureExtension.class)
class TracingTest extends IntegrationTest {

    @Test
    void aTraceparentIsContinuedLoggedAndExportedOverOtlp(CapturedOutput output) throws Exception {
        List<byte[]> exported = new CopyOnWriteArrayList<>();
        HttpServer collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        collector.createContext("/v1/traces", exchange -> {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            exchange.getRequestBody().transferTo(body);
            exported.add(body.toByteArray());
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        collector.start();
        String traceId = UUID.randomUUID().toString().replace("-", "");
        try (ConfigurableApplicationContext instance = Instances.start(
                "--management.opentelemetry.tracing.export.otlp.endpoint=http://127.0.0.1:"
                        + collector.getAddress().getPort() + "/v1/traces",
                "--management.opentelemetry.tracing.export.schedule-delay=100ms",
                "--management.tracing.sampling.probability=0")) {
            Api client = Instances.api(instance);
            Api.Response refused = client.call("POST", "/api/auth/login",
                    Api.json(Map.of("username", "admin", "password", "not-the-password-at-all")),
                    Map.of("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01"));
            assertThat(refused.status()).isEqualTo(401);

            // the security event's WARN line, written while handling the request, names the caller's trace
            assertThat(output.getOut()).containsPattern("\\[" + traceId + "-[0-9a-f]{16}\\].*Security event LoginFailed");

            // and its span reached the collector, in that trace (OTLP's protobuf holds the id's 16 bytes)
            byte[] id = HexFormat.of().parseHex(traceId);
            Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
            while (exported.stream().noneMatch(body -> contains(body, id)) && Instant.now().isBefore(deadline)) {
                Thread.sleep(100);
            }
            assertThat(exported).anySatisfy(body -> assertThat(contains(body, id)).isTrue());
        } finally {
            collector.stop(0);
        }
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
