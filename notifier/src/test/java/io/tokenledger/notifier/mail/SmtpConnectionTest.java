package io.tokenledger.notifier.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.mail.javamail.MimeMessageHelper;

/** The e-mails of one round go over one SMTP connection; a failed send closes it and the next one opens another. */
class SmtpConnectionTest {
    private final AtomicInteger connections = new AtomicInteger();
    private final List<String> messageIds = new CopyOnWriteArrayList<>();
    private volatile String rejectRecipient = "";
    private ServerSocket server;
    private JavaMailSenderImpl mail;

    @BeforeEach
    void startServer() throws IOException {
        server = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        Thread accepting = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    connections.incrementAndGet();
                    Thread session = new Thread(() -> converse(socket));
                    session.setDaemon(true);
                    session.start();
                } catch (IOException e) {
                    return;
                }
            }
        });
        accepting.setDaemon(true);
        accepting.start();
        mail = new JavaMailSenderImpl();
        mail.setHost("127.0.0.1");
        mail.setPort(server.getLocalPort());
    }

    @AfterEach
    void stopServer() throws IOException {
        server.close();
    }

    /** Just enough SMTP: greets, accepts every command, takes the data up to its final dot. */
    private void converse(Socket socket) {
        try (socket; BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                StandardCharsets.US_ASCII)); PrintWriter out = new PrintWriter(socket.getOutputStream(), true,
                StandardCharsets.US_ASCII)) {
            out.print("220 test ESMTP\r\n");
            out.flush();
            String line;
            while ((line = in.readLine()) != null) {
                String command = line.toUpperCase();
                if (command.startsWith("EHLO") || command.startsWith("HELO")) {
                    out.print("250 test\r\n");
                } else if (command.startsWith("RCPT") && !rejectRecipient.isEmpty() && line.contains(rejectRecipient)) {
                    out.print("550 no such user\r\n");
                } else if (command.startsWith("DATA")) {
                    out.print("354 go on\r\n");
                    out.flush();
                    String data;
                    while ((data = in.readLine()) != null && !data.equals(".")) {
                        if (data.toLowerCase().startsWith("message-id:")) {
                            messageIds.add(data.substring("message-id:".length()).strip());
                        }
                    }
                    out.print("250 queued\r\n");
                } else if (command.startsWith("QUIT")) {
                    out.print("221 bye\r\n");
                    out.flush();
                    return;
                } else {
                    out.print("250 ok\r\n");
                }
                out.flush();
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    private MimeMessage message(int n, String to) throws MessagingException {
        MimeMessage message = mail.createMimeMessage();
        MimeMessageHelper helper = new MimeMessageHelper(message, "UTF-8");
        helper.setFrom("tokenledger@example.com");
        helper.setTo(to);
        helper.setSubject("e-mail " + n);
        helper.setText("body " + n);
        message.setHeader("Message-ID", "<" + n + "@tokenledger>");
        return message;
    }

    @Test
    void theEmailsOfARoundShareOneConnectionAndKeepTheirMessageIds() throws Exception {
        try (SmtpConnection connection = new SmtpConnection(mail)) {
            for (int i = 0; i < 20; i++) {
                connection.send(message(i, "owner@example.com"));
            }
        }
        assertThat(connections.get()).isEqualTo(1);
        assertThat(messageIds).hasSize(20).contains("<0@tokenledger>", "<19@tokenledger>");
    }

    @Test
    void aRejectedEmailClosesTheConnectionAndTheNextOneOpensAnother() throws Exception {
        rejectRecipient = "nobody@example.com";
        try (SmtpConnection connection = new SmtpConnection(mail)) {
            connection.send(message(1, "owner@example.com"));
            assertThatThrownBy(() -> connection.send(message(2, "nobody@example.com")))
                    .isInstanceOf(MessagingException.class)
                    .satisfies(e -> assertThat(DeliveryFailure.of(e).permanent()).isTrue());
            connection.send(message(3, "owner@example.com"));
        }
        assertThat(connections.get()).isEqualTo(2);
        assertThat(messageIds).containsExactly("<1@tokenledger>", "<3@tokenledger>");
    }
}
