package io.tokenledger.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

/**
 * What an operator expects of a Spring Boot service: build and commit in {@code /actuator/info}, compressed JSON
 * and pages, static files under content-hashed paths cached for a year, and a stop bounded to 30 s.
 */
class OperatorConventionsTest extends IntegrationTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Autowired
    Environment environment;

    private HttpResponse<byte[]> get(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String gunzip(byte[] body) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void infoNamesTheBuildAndTheCommit() {
        Api.Response info = api.get("/actuator/info", adminToken());
        assertThat(info.status()).isEqualTo(200);
        JsonNode json = info.json();
        assertThat(json.path("build").path("artifact").asText()).isEqualTo("app");
        assertThat(json.path("build").path("version").asText()).isNotBlank();
        assertThat(json.path("build").path("time").asText()).isNotBlank();
        assertThat(json.path("git").path("commit").path("id").asText()).matches("[0-9a-f]{7,40}");
        assertThat(json.path("git").path("commit").path("time").asText()).isNotBlank();
        assertThat(info.raw()).doesNotContain("@"); // no committer's or builder's e-mail address
    }

    @Test
    void jsonAndPagesAreGzippedForAClientThatAcceptsIt() throws Exception {
        String token = adminToken();
        HttpResponse<byte[]> users = get("/api/users?size=200", "Authorization", "Bearer " + token,
                "Accept-Encoding", "gzip");
        assertThat(users.statusCode()).isEqualTo(200);
        assertThat(users.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(new ObjectMapper().readTree(gunzip(users.body())).isContainerNode()).isTrue();

        HttpResponse<byte[]> page = get("/login", "Accept-Encoding", "gzip");
        assertThat(page.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(gunzip(page.body())).contains("<form");

        HttpResponse<byte[]> plain = get("/login");
        assertThat(plain.headers().firstValue("Content-Encoding")).isEmpty();
    }

    @Test
    void staticFilesHaveContentHashedPathsCachedForAYear() throws Exception {
        String page = new String(get("/login").body(), StandardCharsets.UTF_8);
        Matcher links = Pattern.compile("(?:href|src)=\"(/(?:css|js|webjars)/[^\"]+)\"").matcher(page);
        List<String> assets = new ArrayList<>();
        while (links.find()) {
            assets.add(links.group(1));
        }
        assertThat(assets).hasSizeGreaterThanOrEqualTo(3)
                .allSatisfy(path -> assertThat(path).matches(".*-[0-9a-f]{32}\\.(css|js)"));
        for (String path : assets) {
            HttpResponse<byte[]> asset = get(path);
            assertThat(asset.statusCode()).as(path).isEqualTo(200);
            // one Cache-Control, the resource chain's: Spring Security's no-store default is not added beside it
            assertThat(asset.headers().allValues("Cache-Control")).as(path)
                    .containsExactly("max-age=31536000, public");
            assertThat(asset.headers().firstValue("Pragma")).as(path).isEmpty();
        }
        // the unversioned path still serves the same file (a bookmarked or cached link of an older page)
        String versioned = assets.stream().filter(p -> p.startsWith("/css/")).findFirst().orElseThrow();
        assertThat(get(versioned.replaceAll("-[0-9a-f]{32}", "")).statusCode()).isEqualTo(200);
    }

    @Test
    void aStopTakesAtMostThirtySecondsDeadlinesIncluded() {
        Duration drain = environment.getProperty("spring.lifecycle.timeout-per-shutdown-phase", Duration.class);
        Duration deadlines = environment.getProperty("db-scheduler.shutdown-max-wait", Duration.class);
        assertThat(environment.getProperty("server.shutdown")).isEqualTo("graceful");
        assertThat(drain.plus(deadlines)).isLessThanOrEqualTo(Duration.ofSeconds(30));

        ConfigurableApplicationContext instance = Instances.start();
        long start = System.nanoTime();
        instance.close();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
    }
}
