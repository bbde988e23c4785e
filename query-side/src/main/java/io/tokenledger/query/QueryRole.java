package io.tokenledger.query;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;

/**
 * Marks what only an instance with the {@code query} role runs ({@code tokenledger.roles}, default all three):
 * the audit hash chain. The projections that feed reads are written wherever commands are handled, in the
 * command's own transaction.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ConditionalOnExpression("'${tokenledger.roles:command,query,notifier}'.toLowerCase().contains('query')")
public @interface QueryRole {
}
