package io.tokenledger.command.user;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/** Argon2id of the NFKC form for new hashes, and the BCrypt hashes stored before still verify. */
class PasswordHashingTest {
    private final PasswordHashing hashing = new PasswordHashing();

    /** 40 × é is 80 bytes: BCrypt refused it (a 500 at registration) or would compare only its first 72. */
    @Test
    void aPasswordLongerThanSeventyTwoBytesIsHashedWholeNotTruncated() {
        String password = "é".repeat(40);
        String hash = hashing.encode(password);
        assertThat(hash).startsWith("{argon2}$argon2id$");
        assertThat(hashing.matches(password, hash)).isTrue();
        assertThat(hashing.matches("é".repeat(36) + "eeee", hash)).as("differs only after byte 72").isFalse();
        assertThat(hashing.matches("é".repeat(39), hash)).isFalse();
    }

    @Test
    void composedAndDecomposedAccentsAreOnePassword() {
        String hash = hashing.encode("caf\u00e9 au lait, s'il vous plaît");
        assertThat(hashing.matches("cafe\u0301 au lait, s'il vous plai\u0302t", hash)).isTrue();
    }

    @Test
    void aBcryptHashStoredBeforeStillVerifiesAndIsDueForAnUpgrade() {
        String legacy = new BCryptPasswordEncoder().encode("password-1");
        assertThat(hashing.matches("password-1", legacy)).isTrue();
        assertThat(hashing.matches("password-2", legacy)).isFalse();
        assertThat(hashing.upgradeEncoding(legacy)).isTrue();
        assertThat(hashing.upgradeEncoding(hashing.encode("x7-Kq2!mVz8#pLr"))).isFalse();
    }

    @Test
    void aPasswordOverSeventyTwoBytesNeverMatchesABcryptHashOfItsFirstSeventyTwo() {
        String first72 = "a".repeat(72);
        String legacy = new BCryptPasswordEncoder().encode(first72);
        assertThat(hashing.matches(first72, legacy)).isTrue();
        assertThat(hashing.matches(first72 + "anything", legacy)).isFalse();
    }

    @Test
    void noHashOrAnUnknownOneMatchesNothing() {
        assertThat(hashing.matches("x7-Kq2!mVz8#pLr", null)).isFalse();
        assertThat(hashing.matches("x7-Kq2!mVz8#pLr", "{noop}x7-Kq2!mVz8#pLr")).isFalse();
        assertThat(hashing.matches("x7-Kq2!mVz8#pLr", "x7-Kq2!mVz8#pLr")).isFalse();
    }
}
