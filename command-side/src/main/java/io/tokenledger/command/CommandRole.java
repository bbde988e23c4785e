package io.tokenledger.command;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;

/**
 * Marks what only an instance with the {@code command} role runs ({@code tokenledger.roles}, default all three):
 * aggregates, the command side's own index and the deadline scheduler (a token's expiry warnings and expiry).
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ConditionalOnExpression("'${tokenledger.roles:command,query,notifier}'.toLowerCase().contains('command')")
public @interface CommandRole {
}
