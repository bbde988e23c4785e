package io.tokenledger.command.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenledger.api.CommandRejected;
import org.junit.jupiter.api.Test;

/** The one rule for new passwords (NIST SP 800-63B rev. 4, a password used alone). */
class PasswordPolicyTest {

    @Test
    void fourteenCharactersAreTooFewFifteenAreEnough() {
        assertThat(PasswordPolicy.brokenRule("x7-Kq2!mVz8#pLr".substring(0, 14), "alice"))
                .isEqualTo("must be at least 15 characters long");
        assertThat(PasswordPolicy.brokenRule("x7-Kq2!mVz8#pLr", "alice")).isNull();
    }

    @Test
    void sixtyFourAndUpToTwoHundredFiftySixCharactersAreAcceptedAndAnyCompositionWithThem() {
        assertThat(PasswordPolicy.brokenRule("correct horse battery staple ".repeat(3).substring(0, 64), "alice"))
                .isNull();
        assertThat(PasswordPolicy.brokenRule("all lower case words only", "alice")).isNull();
        assertThat(PasswordPolicy.brokenRule("q".repeat(1) + "wxyz-".repeat(51), "alice")).isNull();
        assertThat(PasswordPolicy.brokenRule("wxyz-q".repeat(43).substring(0, 257), "alice"))
                .isEqualTo("must be at most 256 characters long");
    }

    @Test
    void anyUnicodeIsAcceptedAndCountedInCharactersOfItsNfkcForm() {
        assertThat(PasswordPolicy.brokenRule("é".repeat(40), "alice")).isNull();
        assertThat(PasswordPolicy.brokenRule("пароль для входа в систему", "alice")).isNull();
        // 15 decomposed é (30 code points as typed) are 15 characters once composed
        assertThat(PasswordPolicy.brokenRule("e\u0301".repeat(7) + "zébulon-m", "alice")).isNull();
        assertThat(PasswordPolicy.brokenRule("e\u0301".repeat(14), "alice"))
                .isEqualTo("must be at least 15 characters long");
    }

    @Test
    void aListedBreachedPasswordIsRefusedWhateverItsCaseOrWidth() {
        assertThat(PasswordPolicy.brokenRule("1qaz2wsx3edc4rfv", "alice"))
                .isEqualTo("is a commonly used or breached password");
        assertThat(PasswordPolicy.brokenRule("PasswordPassword", "alice"))
                .isEqualTo("is a commonly used or breached password");
        assertThat(PasswordPolicy.brokenRule("ＱＷＥＲＴＹＵＩＯＰ１２３４５", "alice"))
                .isEqualTo("is a commonly used or breached password");
    }

    @Test
    void aRepeatedListedPasswordIsRefused() {
        assertThat(PasswordPolicy.brokenRule("monkeymonkeymonkey", "alice"))
                .isEqualTo("is a commonly used or breached password");
        assertThat(PasswordPolicy.brokenRule("a".repeat(20), "alice"))
                .isEqualTo("is a commonly used or breached password");
        assertThat(PasswordPolicy.brokenRule("abc123abc123abc123", "alice"))
                .isEqualTo("is a commonly used or breached password");
    }

    @Test
    void aPasswordContainingTheUsernameIsRefusedInAnySpelling() {
        assertThat(PasswordPolicy.brokenRule("my name is Alice, ok?", "alice"))
                .isEqualTo("must not contain the username");
        assertThat(PasswordPolicy.brokenRule("ＡＬＩＣＥ-kept-this-one", "alice"))
                .isEqualTo("must not contain the username");
    }

    @Test
    void aRefusalIsAWeakPasswordProblemNamingTheField() {
        assertThatThrownBy(() -> PasswordPolicy.require("newPassword", "short", "alice"))
                .isInstanceOfSatisfying(CommandRejected.class, e -> {
                    assertThat(e.reason()).isEqualTo(CommandRejected.Reason.INVALID);
                    assertThat(e.field()).isEqualTo("newPassword");
                    assertThat(e.problem()).isEqualTo(PasswordPolicy.WEAK_PASSWORD);
                    assertThat(e.getMessage()).isEqualTo("must be at least 15 characters long");
                });
    }
}
