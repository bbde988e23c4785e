package io.tokenledger.notifier.mail;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.util.MailConnectException;
import org.eclipse.angus.mail.util.SocketConnectException;
import org.junit.jupiter.api.Test;
import org.springframework.mail.MailAuthenticationException;
import org.springframework.mail.MailPreparationException;
import org.springframework.mail.MailSendException;

/** Failures shaped as JavaMailSenderImpl reports them, and what the outbox makes of each. */
class DeliveryFailureTest {
    private static final MimeMessage MESSAGE = new MimeMessage(Session.getInstance(new Properties()));

    private static MailSendException perMessage(Exception failure) {
        return new MailSendException(Map.of(MESSAGE, failure));
    }

    private static SMTPAddressFailedException rejected(int code, String reply) throws Exception {
        return new SMTPAddressFailedException(new InternetAddress("ops@example.com"), "RCPT TO:<ops@example.com>",
                code, reply);
    }

    @Test
    void aRecipientRejectedWith5xxIsPermanentAndKeepsTheServersReply() throws Exception {
        SendFailedException invalid = new SendFailedException("Invalid Addresses",
                rejected(550, "550 5.1.1 <ops@example.com>: Recipient address rejected\n"));
        DeliveryFailure failure = DeliveryFailure.of(perMessage(invalid));
        assertThat(failure.kind()).isEqualTo(DeliveryFailure.Kind.PERMANENT);
        assertThat(failure.message())
                .isEqualTo("SMTPAddressFailedException: 550 5.1.1 <ops@example.com>: Recipient address rejected");
    }

    @Test
    void aTemporaryRefusalIsRetried() throws Exception {
        DeliveryFailure greylisted = DeliveryFailure.of(perMessage(new SendFailedException("Invalid Addresses",
                rejected(451, "451 4.7.1 Greylisted, try again later"))));
        assertThat(greylisted.kind()).isEqualTo(DeliveryFailure.Kind.TEMPORARY);
        assertThat(greylisted.message()).contains("451 4.7.1 Greylisted");

        DeliveryFailure full = DeliveryFailure.of(perMessage(new SMTPSendFailedException("DATA", 452,
                "452 4.3.1 Insufficient system storage", null, null, null, null)));
        assertThat(full.kind()).isEqualTo(DeliveryFailure.Kind.TEMPORARY);
    }

    @Test
    void aServerThatCannotBeReachedIsRetriedAndEndsTheRound() {
        MailConnectException refused = new MailConnectException(new SocketConnectException("Connection refused",
                new ConnectException("Connection refused"), "127.0.0.1", 3025, 5000));
        DeliveryFailure failure = DeliveryFailure.of(new MailSendException("Mail server connection failed", refused,
                Map.of(MESSAGE, refused)));
        assertThat(failure.kind()).isEqualTo(DeliveryFailure.Kind.UNREACHABLE);
        assertThat(failure.unreachable()).isTrue();
        assertThat(failure.permanent()).isFalse();
        assertThat(failure.message()).startsWith("MailConnectException: Couldn't connect to host")
                .contains("127.0.0.1", "3025").doesNotContain("\n").doesNotContain("\t");

        DeliveryFailure timeout = DeliveryFailure.of(perMessage(new jakarta.mail.MessagingException(
                "Exception reading response", new SocketTimeoutException("Read timed out"))));
        assertThat(timeout.kind()).isEqualTo(DeliveryFailure.Kind.UNREACHABLE);
    }

    @Test
    void aServerRefusingOurCredentialsIsRetriedNotGivenUp() {
        DeliveryFailure failure = DeliveryFailure.of(new MailAuthenticationException(
                new AuthenticationFailedException("535 5.7.8 Authentication credentials invalid")));
        assertThat(failure.kind()).isEqualTo(DeliveryFailure.Kind.TEMPORARY);
    }

    @Test
    void anEmailThatCannotBeBuiltIsPermanent() {
        DeliveryFailure failure = DeliveryFailure.of(new MailPreparationException("could not build the e-mail",
                new jakarta.mail.internet.AddressException("Illegal address", "not an address")));
        assertThat(failure.kind()).isEqualTo(DeliveryFailure.Kind.PERMANENT);
    }

    @Test
    void theMessageIsOneLineOfAtMost500Characters() {
        DeliveryFailure failure = DeliveryFailure.of(perMessage(new jakarta.mail.MessagingException(
                "line one\r\nline two\t" + "x".repeat(1000))));
        assertThat(failure.message()).hasSize(DeliveryFailure.MAX_LENGTH).startsWith("MessagingException: line one line two x")
                .doesNotContain("\n").endsWith("\u2026");
    }

    @Test
    void theBackoffDoublesFromTheInitialWaitUpToTheMaximum() {
        Duration initial = Duration.ofMillis(200);
        Duration max = Duration.ofSeconds(1);
        assertThat(DeliveryFailure.backoff(1, initial, max)).isEqualTo(Duration.ofMillis(200));
        assertThat(DeliveryFailure.backoff(2, initial, max)).isEqualTo(Duration.ofMillis(400));
        assertThat(DeliveryFailure.backoff(3, initial, max)).isEqualTo(Duration.ofMillis(800));
        assertThat(DeliveryFailure.backoff(4, initial, max)).isEqualTo(max);
        assertThat(DeliveryFailure.backoff(1_000, initial, max)).isEqualTo(max);
        assertThat(DeliveryFailure.backoff(8, Duration.ofSeconds(30), Duration.ofHours(1))).isEqualTo(Duration.ofHours(1));
        assertThat(DeliveryFailure.backoff(7, Duration.ofSeconds(30), Duration.ofHours(1))).isEqualTo(Duration.ofMinutes(32));
    }
}
