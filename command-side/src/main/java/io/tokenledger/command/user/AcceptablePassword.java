package io.tokenledger.command.user;

import io.tokenledger.api.user.UserKind;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A {@link NewUser}'s password is given for a person and not for a service account, and meets {@link PasswordPolicy} (which needs the username), reported on the field
 * {@code password} with the rule's own message, beside the other fields' refusals.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = AcceptablePassword.Check.class)
public @interface AcceptablePassword {
    String message() default "is not an acceptable password";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** Applies the rule. */
    class Check implements ConstraintValidator<AcceptablePassword, NewUser> {
        @Override
        public boolean isValid(NewUser user, ConstraintValidatorContext context) {
            if (user == null) {
                return true;
            }
            String broken;
            if (user.kind() == UserKind.SERVICE_ACCOUNT) {
                broken = user.password() == null ? null : User.SERVICE_ACCOUNT_PASSWORD;
            } else {
                broken = user.password() == null ? "must not be null"
                        : PasswordPolicy.brokenRule(user.password(), user.username());
            }
            if (broken == null) {
                return true;
            }
            context.disableDefaultConstraintViolation();
            context.buildConstraintViolationWithTemplate(broken.replace("{", "\\{").replace("$", "\\$"))
                    .addPropertyNode("password").addConstraintViolation();
            return false;
        }
    }
}
