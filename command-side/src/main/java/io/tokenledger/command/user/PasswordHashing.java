package io.tokenledger.command.user;

import java.nio.charset.StandardCharsets;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Password hashes. New ones are Argon2id ({@code {argon2}$argon2id$…}: 19 MiB, 2 passes, 1 lane, 16-byte salt,
 * the OWASP minimum) of the password's NFKC form, whatever its length: Argon2 takes any number of bytes, where BCrypt
 * silently ignored everything past 72. Hashes stored before (unprefixed BCrypt, {@code $2a$…}) still verify, against
 * the password as typed, as they were made; a password longer than 72 bytes never matches one (BCrypt would compare
 * only its first 72 bytes): such a password could not be set then. They are replaced when the user's password is.
 */
public final class PasswordHashing implements PasswordEncoder {
    /** The prefix of hashes made here. */
    static final String ARGON2 = "{argon2}";
    private static final int BCRYPT_MAX_BYTES = 72;

    private final Argon2PasswordEncoder argon2 = new Argon2PasswordEncoder(16, 32, 1, 19 * 1024, 2);
    private final BCryptPasswordEncoder bcrypt = new BCryptPasswordEncoder();

    @Override
    public String encode(CharSequence rawPassword) {
        return ARGON2 + argon2.encode(PasswordPolicy.normalized(rawPassword.toString()));
    }

    @Override
    public boolean matches(CharSequence rawPassword, String encodedPassword) {
        if (rawPassword == null || encodedPassword == null) {
            return false;
        }
        if (encodedPassword.startsWith(ARGON2)) {
            return argon2.matches(PasswordPolicy.normalized(rawPassword.toString()),
                    encodedPassword.substring(ARGON2.length()));
        }
        if (encodedPassword.startsWith("$2")) {
            return rawPassword.toString().getBytes(StandardCharsets.UTF_8).length <= BCRYPT_MAX_BYTES
                    && bcrypt.matches(rawPassword, encodedPassword);
        }
        return false;
    }

    @Override
    public boolean upgradeEncoding(String encodedPassword) {
        return encodedPassword == null || !encodedPassword.startsWith(ARGON2);
    }
}
