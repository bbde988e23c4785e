package io.tokenledger.app.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenledger.app.IntegrationTest;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A request body larger than {@code tokenledger.http.max-body-size} (64 KiB by default) is refused with a 413
 * problem before it is read, on every endpoint and whoever sends it; one within the limit is read as ever. The
 * attack it stops: anonymous logins with bodies of tens of megabytes, each read whole into memory, ran the JVM out
 * of memory (the flood itself is {@code OversizeBodyFloodIT}, in the reliability profile).
 */
class OversizeBodyTest extends IntegrationTest {
    private static final long LIMIT = 64 * 1024;

    @Test
    void anAnonymousLoginDeclaring40MegabytesIsRefusedBeforeItsBodyIsSent() {
        LargeBodies.Answer answer = LargeBodies.send(port, "POST", "/api/auth/login", List.of(), 40L << 20, true);
        assertThat(answer.status()).as(answer.head()).isEqualTo(413);
        assertThat(answer.head()).containsIgnoringCase("content-type: application/problem+json")
                .containsIgnoringCase("connection: close");
        assertThat(answer.body()).contains("urn:tokenledger:problem:content-too-large", "\"maxBytes\":65536")
                .doesNotContain("Exception");
        assertThat(answer.bytesWritten()).as("body bytes sent before the answer").isLessThan(40L << 20);
    }

    @Test
    void aChunkedBodyIsRefusedOnceItPassesTheLimitWhoeverSendsIt() {
        String admin = "Authorization: Bearer " + adminToken();
        record Call(String method, String path, List<String> headers) {
        }
        for (Call call : List.of(new Call("POST", "/api/auth/login", List.of()),
                new Call("POST", "/api/users", List.of(admin)),
                new Call("PUT", "/api/settings/app-config/User%20Token%20Expiration%20Notification%20Emails",
                        List.of(admin)))) {
            LargeBodies.Answer answer = LargeBodies.send(port, call.method(), call.path(), call.headers(),
                    LIMIT + 100, false);
            assertThat(answer.status()).as(call + ": " + answer.head()).isEqualTo(413);
            assertThat(answer.body()).contains("content-too-large");
        }
    }

    @Test
    void aBodyAtTheLimitIsReadAsAnyOther() {
        for (boolean declared : new boolean[] {true, false}) {
            // read and judged: a password this long is refused by the login's own rules, not by size
            LargeBodies.Answer answer = LargeBodies.send(port, "POST", "/api/auth/login", List.of(), LIMIT, declared);
            assertThat(answer.status()).as("declared " + declared + ": " + answer.head()).isIn(400, 401);
            assertThat(answer.body()).doesNotContain("content-too-large");
            LargeBodies.Answer over = LargeBodies.send(port, "POST", "/api/auth/login", List.of(), LIMIT + 1,
                    declared);
            assertThat(over.status()).as("declared " + declared + ": " + over.head()).isEqualTo(413);
        }
    }

    @Test
    void anOversizeFormToTheConsoleIsRefusedToo() {
        LargeBodies.Answer answer = LargeBodies.send(port, "POST", "/login",
                List.of("Accept: text/html"), 1L << 20, true);
        assertThat(answer.status()).as(answer.head()).isEqualTo(413);
    }
}
