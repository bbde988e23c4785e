package io.tokenledger.notifier.mail;

import io.tokenledger.notifier.NotificationProperties;
import io.tokenledger.notifier.NotifierRole;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.mail.MailException;
import org.springframework.mail.MailPreparationException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Delivers the outbox over SMTP. Every poll interval one thread looks for due e-mails and, for each, claims it,
 * sends it and records the outcome in a transaction of its own that holds the row, so instances sharing the
 * database never send the same e-mail concurrently. The e-mails of one round go over one SMTP connection
 * ({@link SmtpConnection}), opened for the first and closed when nothing more is due. A crash between the server's acceptance and the commit
 * sends that one e-mail again, with the same Message-ID; the e-mails sent before it stay recorded as sent.
 * Failed attempts back off exponentially; a server that cannot be reached ends the round early, as the other
 * e-mails would only wait for the same timeout.
 */
@NotifierRole
@Component
class OutboxSender implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(OutboxSender.class);
    private static final Duration STOP_WAIT = Duration.ofSeconds(10);

    private final Outbox outbox;
    private final JavaMailSender mail;
    private final TransactionTemplate transactions;
    private final NotificationProperties properties;
    private final InternetAddress from;
    private ScheduledExecutorService executor;

    OutboxSender(Outbox outbox, JavaMailSender mail, PlatformTransactionManager transactionManager,
                 NotificationProperties properties) throws AddressException {
        this.outbox = outbox;
        this.mail = mail;
        this.transactions = new TransactionTemplate(transactionManager);
        this.properties = properties;
        // A sender address that does not parse would fail every e-mail: refuse to start instead.
        this.from = new InternetAddress(properties.from(), true);
    }

    @Override
    public synchronized void start() {
        if (executor != null) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "notification-sender");
            thread.setDaemon(true);
            return thread;
        });
        long interval = properties.pollInterval().toMillis();
        executor.scheduleWithFixedDelay(this::poll, interval, interval, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        ScheduledExecutorService stopping;
        synchronized (this) {
            stopping = executor;
            executor = null;
        }
        if (stopping == null) {
            return;
        }
        stopping.shutdown();
        try {
            if (!stopping.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                stopping.shutdownNow();
            }
        } catch (InterruptedException e) {
            stopping.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return executor != null;
    }

    /**
     * One poll: batches until nothing more is due, over one SMTP connection kept open between its e-mails. It never
     * throws, as that would end all further polls.
     */
    private void poll() {
        try (SmtpConnection connection = new SmtpConnection(mail)) {
            boolean more = true;
            while (more && !Thread.currentThread().isInterrupted()) {
                more = sendDueBatch(connection);
            }
        } catch (Throwable e) {
            log.warn("Delivering notifications failed; next try in {}", properties.pollInterval(), e);
        }
    }

    /**
     * Sends one batch, each e-mail in its own transaction: with one transaction for the batch, a crash halfway
     * would send every e-mail of it again. True if it was full and went out without trouble, so more may be due
     * right away.
     */
    private boolean sendDueBatch(SmtpConnection connection) {
        List<UUID> due = outbox.due(properties.batchSize());
        for (UUID id : due) {
            boolean reachable = Boolean.TRUE.equals(transactions.execute(status -> outbox.claim(id)
                    .map(email -> send(email, connection)).orElse(true)));
            if (!reachable) {
                return false;
            }
        }
        return due.size() == properties.batchSize();
    }

    /** Sends one e-mail and records the outcome; false if the server could not be reached. */
    private boolean send(Outbox.Pending email, SmtpConnection connection) {
        try {
            connection.send(message(email));
            outbox.sent(email.id());
            return true;
        } catch (MailException | MessagingException e) {
            DeliveryFailure failure = DeliveryFailure.of(e);
            int attempts = email.attempts() + 1;
            // Only the server's rejections use up max-attempts: an outage or a 4xx before them says nothing of this
            // e-mail.
            int rejections = email.rejections() + (failure.permanent() ? 1 : 0);
            boolean giveUp = failure.permanent() && rejections >= properties.maxAttempts();
            Duration retryIn = DeliveryFailure.backoff(attempts, properties.initialBackoff(), properties.maxBackoff());
            outbox.failed(email.id(), failure.message(), failure.permanent(), giveUp, retryIn);
            if (giveUp) {
                log.warn("Notification {} failed for good after {} attempts, {} of them rejected: {}", email.id(),
                        attempts, rejections, failure.message());
            } else {
                log.info("Notification {} not delivered (attempt {}), next attempt in {}: {}", email.id(), attempts,
                        retryIn, failure.message());
            }
            return !failure.unreachable();
        }
    }

    private MimeMessage message(Outbox.Pending email) {
        try {
            MimeMessage message = mail.createMimeMessage();
            MimeMessageHelper helper = new MimeMessageHelper(message, StandardCharsets.UTF_8.name());
            helper.setFrom(from);
            helper.setTo(email.recipient());
            helper.setSubject(email.subject());
            helper.setText(email.body(), false);
            // JavaMailSenderImpl keeps a Message-ID set here when it saves the message.
            message.setHeader("Message-ID", "<" + email.id() + "@tokenledger>");
            return message;
        } catch (MessagingException e) {
            throw new MailPreparationException("could not build the e-mail", e);
        }
    }
}
