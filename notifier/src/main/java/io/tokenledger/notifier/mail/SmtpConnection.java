package io.tokenledger.notifier.mail;

import jakarta.mail.MessagingException;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.util.Date;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * One SMTP connection for the e-mails of one round of the outbox: opened with the first e-mail, kept for the next
 * ones, closed when the round ends or a send fails (the next e-mail then opens a new one). Opening a connection (TCP,
 * the greeting, EHLO, STARTTLS and AUTH where configured) costs several round trips, far more than sending one short
 * e-mail over an open one. A sender that is not Spring's JavaMail implementation sends each e-mail its own way.
 */
final class SmtpConnection implements AutoCloseable {
    private final JavaMailSender mail;
    private Transport transport;

    SmtpConnection(JavaMailSender mail) {
        this.mail = mail;
    }

    /** Sends the e-mail over the open connection, opening one if there is none; the connection is closed on failure. */
    void send(MimeMessage message) throws MessagingException {
        if (!(mail instanceof JavaMailSenderImpl sender)) {
            mail.send(message);
            return;
        }
        // Saving the message gives it a new Message-ID; the outbox's own is what makes a resend recognisable.
        String messageId = message.getHeader("Message-ID", null);
        if (message.getSentDate() == null) {
            message.setSentDate(new Date());
        }
        message.saveChanges();
        if (messageId != null) {
            message.setHeader("Message-ID", messageId);
        }
        try {
            if (transport == null || !transport.isConnected()) {
                close();
                Transport opened = sender.getSession().getTransport(
                        sender.getProtocol() == null ? "smtp" : sender.getProtocol());
                opened.connect(sender.getHost(), sender.getPort(), sender.getUsername(), sender.getPassword());
                transport = opened;
            }
            transport.sendMessage(message, message.getAllRecipients());
        } catch (MessagingException | RuntimeException e) {
            close();
            throw e;
        }
    }

    @Override
    public void close() {
        if (transport != null) {
            try {
                transport.close();
            } catch (MessagingException | RuntimeException e) {
                // the connection is gone either way
            }
            transport = null;
        }
    }
}
