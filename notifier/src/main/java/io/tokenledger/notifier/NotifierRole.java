package io.tokenledger.notifier;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;

/**
 * Marks what only an instance with the {@code notifier} role runs ({@code tokenledger.roles}, default all three):
 * the e-mail sender. The faults and e-mails themselves are queued with the command that warns, on whichever
 * instance runs it.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ConditionalOnExpression("'${tokenledger.roles:command,query,notifier}'.toLowerCase().contains('notifier')")
public @interface NotifierRole {
}
