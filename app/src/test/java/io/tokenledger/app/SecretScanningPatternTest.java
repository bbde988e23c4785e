package io.tokenledger.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenledger.api.client.ClientSecret;
import io.tokenledger.api.token.TokenKind;
import io.tokenledger.api.token.TokenSecret;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The secret-scanning pattern published in docs/gitleaks.toml finds every Token Ledger secret in a corpus of the
 * places secrets leak to (env files, JSON, YAML, shell history, URLs, logs) and nothing else: not the near misses and
 * other vendors' tokens of {@code secret-scanning/not-ours.txt}. Its regular expressions are read from the file
 * itself, and are plain RE2 that Java's engine reads alike.
 */
class SecretScanningPatternTest {
    private static final Path RULES = Path.of("..", "docs", "gitleaks.toml");
    private static final Pattern REGEX = Pattern.compile("regex = '''(.+?)'''");

    private static List<Pattern> rules() throws IOException {
        List<Pattern> rules = new ArrayList<>();
        Matcher m = REGEX.matcher(Files.readString(RULES));
        while (m.find()) {
            rules.add(Pattern.compile(m.group(1)));
        }
        assertThat(rules).as("rules in %s", RULES).hasSize(2);
        return rules;
    }

    private static Set<String> found(List<Pattern> rules, String text) {
        Set<String> found = new LinkedHashSet<>();
        for (Pattern rule : rules) {
            Matcher m = rule.matcher(text);
            while (m.find()) {
                found.add(m.group(1));
            }
        }
        return found;
    }

    @Test
    void everySecretOfOursIsFoundWhereverItLeaks() throws IOException {
        List<String> planted = new ArrayList<>();
        StringBuilder corpus = new StringBuilder();
        List<String> contexts = List.of("export TOKENLEDGER_TOKEN=%s\n", "{\"token\": \"%s\", \"user\": \"ci\"}\n",
                "api_token: '%s'\n", "curl -H 'Authorization: Bearer %s' https://ledger.example/api/me\n",
                "https://ledger.example/api/me?access_token=%s&x=1\n", "2026-12-01 ERROR login failed token=%s;\n",
                "<value>%s</value>\n", "%s\n", "password = \"%s\"  # do not commit\n", "`%s`\n");
        for (String context : contexts) {
            for (String secret : List.of(TokenSecret.generate(TokenKind.PERMANENT).reveal(),
                    TokenSecret.generate(TokenKind.TEMPORARY).reveal(), ClientSecret.generate().reveal())) {
                planted.add(secret);
                corpus.append(context.formatted(secret));
            }
        }
        assertThat(found(rules(), corpus.toString())).containsExactlyInAnyOrderElementsOf(planted);
    }

    @Test
    void nothingElseIsFound() throws IOException {
        String notOurs;
        try (InputStream in = getClass().getResourceAsStream("/secret-scanning/not-ours.txt")) {
            notOurs = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(notOurs.lines().count()).isGreaterThan(20);
        assertThat(found(rules(), notOurs)).isEmpty();
    }

    /** A scanner cannot check the checksum: a mistyped secret matches, and the report endpoint ignores it. */
    @Test
    void aMatchWithAWrongChecksumIsNoSecretOfOurs() throws IOException {
        String secret = TokenSecret.generate(TokenKind.PERMANENT).reveal();
        String mistyped = secret.substring(0, 41) + (secret.charAt(41) == 'a' ? 'b' : 'a');
        assertThat(found(rules(), mistyped)).containsExactly(mistyped);
        assertThat(TokenSecret.parse(mistyped)).isEmpty();
    }
}
