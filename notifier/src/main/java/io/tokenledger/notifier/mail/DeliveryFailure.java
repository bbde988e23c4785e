package io.tokenledger.notifier.mail;

import jakarta.mail.MessagingException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.springframework.mail.MailPreparationException;
import org.springframework.mail.MailSendException;

/**
 * Why an e-mail was not delivered, read from what JavaMail threw, and what that means for the next attempt.
 *
 * @param kind    whether trying again can help, and whether the server can be reached at all
 * @param message one line for the outbox: the SMTP reply or the exception, at most {@link #MAX_LENGTH} characters
 */
record DeliveryFailure(Kind kind, String message) {
    /** Longest error message kept. */
    static final int MAX_LENGTH = 500;
    /** Doubling stops here; far beyond any sensible max-backoff already. */
    private static final int MAX_DOUBLINGS = 30;

    /** How a failure bears on the next attempt. */
    enum Kind {
        /** No connection, or no answer in time: retried without limit, and the rest of the round can wait. */
        UNREACHABLE,
        /** The server refused for now (SMTP 4xx, or refused us as a whole): retried without limit. */
        TEMPORARY,
        /** The server rejected this e-mail (SMTP 5xx), or it could not be built: given up after max-attempts. */
        PERMANENT
    }

    /** Reads a failure of {@code JavaMailSender.send}. */
    static DeliveryFailure of(Throwable failure) {
        Throwable described = null;
        Kind kind = null;
        for (Throwable t : causes(failure)) {
            int code = smtpCode(t);
            if (code >= 400) {
                // The server's own verdict on this e-mail outranks how the client wrapped it.
                return new DeliveryFailure(code >= 500 ? Kind.PERMANENT : Kind.TEMPORARY, describe(t));
            }
            if (kind == null && (t instanceof SocketException || t instanceof SocketTimeoutException
                    || t instanceof UnknownHostException)) {
                kind = Kind.UNREACHABLE;
            }
            if (described == null && t instanceof MessagingException) {
                described = t;
            }
        }
        if (kind == null) {
            kind = failure instanceof MailPreparationException ? Kind.PERMANENT : Kind.TEMPORARY;
        }
        return new DeliveryFailure(kind, describe(described != null ? described : failure));
    }

    boolean permanent() {
        return kind == Kind.PERMANENT;
    }

    boolean unreachable() {
        return kind == Kind.UNREACHABLE;
    }

    /** Wait before the next attempt after {@code attempts} failed ones: doubling from {@code initial}, capped. */
    static Duration backoff(int attempts, Duration initial, Duration max) {
        Duration wait = initial.multipliedBy(1L << Math.min(Math.max(attempts - 1, 0), MAX_DOUBLINGS));
        return wait.compareTo(max) > 0 ? max : wait;
    }

    /** The failure and everything it wraps: causes, JavaMail's chained exceptions, Spring's per-message failures. */
    private static List<Throwable> causes(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Throwable> todo = new ArrayDeque<>();
        todo.add(failure);
        List<Throwable> all = new ArrayList<>();
        while (!todo.isEmpty()) {
            Throwable t = todo.poll();
            if (!seen.add(t)) {
                continue;
            }
            all.add(t);
            if (t instanceof MailSendException send) {
                send.getFailedMessages().values().forEach(todo::add);
            }
            if (t instanceof MessagingException messaging && messaging.getNextException() != null) {
                todo.add(messaging.getNextException());
            }
            if (t.getCause() != null) {
                todo.add(t.getCause());
            }
        }
        return all;
    }

    private static int smtpCode(Throwable t) {
        if (t instanceof SMTPAddressFailedException e) {
            return e.getReturnCode();
        }
        if (t instanceof SMTPSenderFailedException e) {
            return e.getReturnCode();
        }
        if (t instanceof SMTPSendFailedException e) {
            return e.getReturnCode();
        }
        return -1;
    }

    private static String describe(Throwable t) {
        String text = t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
        text = text.replaceAll("\\s+", " ").strip();
        return text.length() <= MAX_LENGTH ? text : text.substring(0, MAX_LENGTH - 1) + "\u2026";
    }
}
