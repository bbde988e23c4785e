package io.tokenledger.app.console;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import io.tokenledger.app.embedded.EmbeddedSmtpStarter;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;

/**
 * Administrator → Mailbox: what the embedded SMTP capture received, so that a first user sees the expiry e-mails
 * without a mail client. Only where this instance runs the capture (the embedded default); with a real SMTP server
 * configured the page and its link are not there. Messages are listed newest first, each by a key of its own; each is shown as sent, its headers and its text, with its whole source.
 */
@Controller
class MailboxController {
    static final int PAGE_SIZE = 50;

    /** One captured message as the list shows it. */
    record Listed(String key, Instant received, String from, String to, String subject) {
    }

    /** One captured message as its page shows it. */
    record Shown(String key, Instant received, String subject, List<HeaderLine> headers, List<Body> bodies,
                 String source) {
    }

    /** A header line of a message, in the order it was sent. */
    record HeaderLine(String name, String value) {
    }

    /** A text part of a message: its content type and its decoded text. */
    record Body(String contentType, String text) {
    }

    /** Whether the page exists here: the capture runs in this instance. */
    static boolean available() {
        return EmbeddedSmtpStarter.running() != null;
    }

    @GetMapping("/admin/mailbox")
    String list(@RequestParam(defaultValue = "0") int page, Model model) throws MessagingException {
        List<Captured> arrived = arrived();
        int total = arrived.size();
        int from = Math.max(0, total - (Math.max(0, page) + 1) * PAGE_SIZE);
        int to = Math.max(0, total - Math.max(0, page) * PAGE_SIZE);
        List<Listed> listed = new ArrayList<>();
        for (int i = to - 1; i >= from; i--) {
            MimeMessage message = arrived.get(i).message();
            listed.add(new Listed(arrived.get(i).key(), received(message), addresses(message.getFrom()),
                    addresses(message.getAllRecipients()), message.getSubject()));
        }
        model.addAttribute("activeNav", "mailbox");
        model.addAttribute("messages", listed);
        model.addAttribute("total", total);
        model.addAttribute("page", Math.max(0, page));
        model.addAttribute("hasOlder", from > 0);
        return "mailbox";
    }

    @GetMapping("/admin/mailbox/{key}")
    String show(@PathVariable String key, Model model) throws MessagingException, IOException {
        MimeMessage message = arrived().stream().filter(c -> c.key().equals(key)).findFirst()
                .map(Captured::message)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "There is no such e-mail here."));
        List<Body> bodies = new ArrayList<>();
        collectText(message, bodies);
        model.addAttribute("activeNav", "mailbox");
        model.addAttribute("message", new Shown(key, received(message), message.getSubject(),
                Collections.list(message.getAllHeaders()).stream()
                        .map(header -> new HeaderLine(header.getName(), header.getValue())).toList(),
                bodies, GreenMailUtil.getWholeMessage(message)));
        return "mailbox-message";
    }

    /** A captured message and the key its page is found by. */
    private record Captured(String key, Instant received, MimeMessage message) {
    }

    /**
     * The captured messages in the order they arrived. The capture hands them out mailbox by mailbox, so a position
     * in its list moves as mail for another recipient arrives; a message is named by a key made of what it is
     * instead (its Message-ID, arrival, recipients and subject: the copies of one e-mail to several recipients are
     * one and the same to show).
     */
    private static List<Captured> arrived() throws MessagingException {
        List<Captured> all = new ArrayList<>();
        for (MimeMessage message : capture().getReceivedMessages()) {
            Instant at = received(message);
            all.add(new Captured(key(message, at), at, message));
        }
        all.sort(Comparator.comparing(Captured::received, Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparing(Captured::key));
        return all;
    }

    private static String key(MimeMessage message, Instant received) throws MessagingException {
        String identity = message.getMessageID() + "\n" + received + "\n" + addresses(message.getAllRecipients())
                + "\n" + message.getSubject();
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 10);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static GreenMail capture() {
        GreenMail capture = EmbeddedSmtpStarter.running();
        if (capture == null) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND,
                    "The mailbox shows the embedded SMTP capture's messages; this instance sends to a real server.");
        }
        return capture;
    }

    /** The text parts of a message, however deeply they are nested in multiparts; attachments are left out. */
    private static void collectText(Part part, List<Body> bodies) throws MessagingException, IOException {
        if (part.isMimeType("multipart/*")) {
            Multipart multipart = (Multipart) part.getContent();
            for (int i = 0; i < multipart.getCount(); i++) {
                collectText(multipart.getBodyPart(i), bodies);
            }
        } else if (part.isMimeType("text/*") && !Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition())) {
            bodies.add(new Body(part.getContentType(), String.valueOf(part.getContent())));
        }
    }

    private static Instant received(MimeMessage message) throws MessagingException {
        Date date = message.getReceivedDate() != null ? message.getReceivedDate() : message.getSentDate();
        return date == null ? null : date.toInstant();
    }

    private static String addresses(Address[] addresses) {
        return addresses == null ? "" : Arrays.stream(addresses).map(Address::toString)
                .collect(Collectors.joining(", "));
    }
}
