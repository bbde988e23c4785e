package io.tokenledger.command.user;

import io.tokenledger.api.EmailAddress;
import io.tokenledger.api.user.Role;
import io.tokenledger.api.user.UserKind;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * A user to register, as the REST API and the console's Add form submit it; the password is plaintext here, and its
 * rule ({@link PasswordPolicy}) is checked by {@link UserAccounts#register}, as for every new password. A person
 * needs one; a service account ({@code kind}) must have none.
 */
@AcceptablePassword
public record NewUser(
        @NotBlank @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._-]{2,63}",
                message = "must be 3-64 letters, digits, '.', '-' or '_', starting with a letter or digit")
        String username,
        @NotBlank @Size(max = EmailAddress.MAX_LENGTH) @Pattern(regexp = EmailAddress.PATTERN,
                message = EmailAddress.RULE) String email,
        @Size(max = 100) String displayName,
        @NotNull Role role,
        String password,
        UserKind kind) {

    public NewUser {
        kind = kind == null ? UserKind.PERSON : kind;
    }

    public NewUser(String username, String email, String displayName, Role role, String password) {
        this(username, email, displayName, role, password, UserKind.PERSON);
    }

    @Override
    public String toString() {
        return "NewUser[username=" + username + "]";
    }
}
