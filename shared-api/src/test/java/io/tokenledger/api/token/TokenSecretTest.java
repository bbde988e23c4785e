package io.tokenledger.api.token;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TokenSecretTest {

    @Test
    void generatedTokensMatchTheFormatAndParseBack() {
        for (TokenKind kind : TokenKind.values()) {
            TokenSecret secret = TokenSecret.generate(kind);
            assertThat(secret.reveal()).matches("tl[pt]_[0-9A-Za-z]{38}").startsWith(kind.prefix());
            assertThat(TokenSecret.parse(secret.reveal())).contains(secret);
            assertThat(TokenSecret.parse(secret.reveal()).orElseThrow().kind()).isEqualTo(kind);
        }
    }

    @Test
    void everySingleCharacterChangeIsRejectedByTheChecksum() {
        String token = TokenSecret.generate(TokenKind.PERMANENT).reveal();
        int accepted = 0;
        for (int i = 4; i < token.length(); i++) {
            for (char c : SecretFormat.ALPHABET.toCharArray()) {
                if (c == token.charAt(i)) {
                    continue;
                }
                String changed = token.substring(0, i) + c + token.substring(i + 1);
                if (TokenSecret.parse(changed).isPresent()) {
                    accepted++;
                }
            }
        }
        assertThat(accepted).isZero();
    }

    @Test
    void malformedInputIsRejected() {
        String good = TokenSecret.generate(TokenKind.TEMPORARY).reveal();
        assertThat(TokenSecret.parse(null)).isEmpty();
        assertThat(TokenSecret.parse("")).isEmpty();
        assertThat(TokenSecret.parse("ghp_" + good.substring(4))).isEmpty();
        assertThat(TokenSecret.parse(good + "x")).isEmpty();
        assertThat(TokenSecret.parse(good.substring(0, 10) + "\0" + good.substring(11))).isEmpty();
        assertThat(TokenSecret.parse(good.substring(0, 10) + "-" + good.substring(11))).isEmpty();
    }

    @Test
    void toStringMasksAndHintShowsTheLastFour() {
        TokenSecret secret = TokenSecret.generate(TokenKind.PERMANENT);
        String plain = secret.reveal();
        assertThat(secret.toString()).doesNotContain(plain.substring(4, 36));
        assertThat(secret.hint()).isEqualTo("tlp_\u2026" + plain.substring(38));
        assertThat(secret.hash().hex()).hasSize(64).doesNotContain(plain);
    }

    @Test
    void secretsDoNotRepeat() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            assertThat(seen.add(TokenSecret.generate(TokenKind.PERMANENT).reveal())).isTrue();
        }
    }
}
