package io.tokenledger.api.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tokenledger.api.CommandRejected;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What scopes allow, and how requested scopes are checked. */
class ScopesTest {

    @Test
    void apiAllowsEverythingReadApiOnlyReadsAndPlatformScopesNothing() {
        for (String method : List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")) {
            assertThat(Scopes.allow(List.of("api"), method)).as(method).isTrue();
            assertThat(Scopes.allow(List.of("deploy", "read_api"), method)).as(method)
                    .isEqualTo(method.equals("GET") || method.equals("HEAD"));
            assertThat(Scopes.allow(List.of("deploy"), method)).as(method).isFalse();
        }
        assertThat(Scopes.allow(List.of("read_api"), "OPTIONS")).isFalse();
    }

    @Test
    void noScopesMeansTheDefaultAndEachScopeCountsOnce() {
        assertThat(Scopes.requested(null)).containsExactly("api");
        assertThat(Scopes.requested(List.of("deploy", "api", "deploy"))).containsExactly("deploy", "api");
        assertThat(Scopes.orDefault(null)).containsExactly("api");
        assertThat(Scopes.platform(List.of("api", "deploy", "read_api"))).containsExactly("deploy");
    }

    @Test
    void anEmptyListMalformedNamesAndTooManyAreInvalid() {
        List<String> withNull = new ArrayList<>(Collections.singletonList(null));
        for (List<String> bad : List.of(List.<String>of(), List.of("API"), List.of("a b"), List.of("x".repeat(65)),
                withNull)) {
            assertThatThrownBy(() -> Scopes.requested(bad)).as("%s", bad).isInstanceOf(CommandRejected.class)
                    .extracting("field").isEqualTo("scopes");
        }
        List<String> many = new ArrayList<>();
        for (int i = 0; i <= Scopes.MAX_PER_TOKEN; i++) {
            many.add("s" + i);
        }
        assertThatThrownBy(() -> Scopes.requested(many)).isInstanceOf(CommandRejected.class);
    }

    @Test
    void theDefaultIsLeftOutOfAnEventsJson() throws Exception {
        JsonInclude include = PermanentTokenCreated.class.getDeclaredField("scopes").getAnnotation(JsonInclude.class);
        Object filter = include.valueFilter().getDeclaredConstructor().newInstance();
        assertThat(filter.equals(List.of("api"))).isTrue();
        assertThat(filter.equals(null)).isTrue();
        assertThat(filter.equals(List.of("read_api"))).isFalse();
    }
}
