package io.tokenledger.query.audit;

import io.tokenledger.api.security.AccessDenied;
import io.tokenledger.api.security.LoginFailed;
import io.tokenledger.api.security.LoginLockedOut;
import io.tokenledger.api.security.TokenRefused;
import io.tokenledger.query.QueryRole;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DisallowReplay;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/**
 * Forwards every stored event (the audit log, security events included) to a syslog server as RFC 5424 messages:
 * structured data naming the event, its actor and request, and the audit record as JSON (as {@code GET
 * /api/audit/events} shows it) as the message; over TCP with octet counting (RFC 6587), with TLS unless turned
 * off (RFC 5425). A tracking processor of its own ({@value #GROUP}, one segment, never reset or replayed): a
 * batch is written and flushed just before its position is stored, and a batch the server could not take (no
 * connection, a connection found closed after the writes) rolls back and is sent again when the server is back,
 * in order; at least once. Plain TCP syslog acknowledges nothing, so what was written over a connection that then
 * broke may have been lost in its buffers: the last {@code resend-on-reconnect} messages are sent again first over
 * the next one.
 */
@QueryRole
@Component
@ConditionalOnProperty(name = "tokenledger.syslog.enabled", havingValue = "true")
@EnableConfigurationProperties(SyslogProperties.class)
@ProcessingGroup(SyslogForwarder.GROUP)
@DisallowReplay
public class SyslogForwarder {
    static final String GROUP = "syslog";
    private static final Logger log = LoggerFactory.getLogger(SyslogForwarder.class);
    private static final String PENDING = SyslogForwarder.class.getName() + ".pending";
    /** The structured data's id: the documentation enterprise number of RFC 5612, as none is registered. */
    static final String SD_ID = "tokenledger@32473";
    private static final Set<Class<?>> SECURITY_EVENTS = Set.of(LoginFailed.class, LoginLockedOut.class,
            TokenRefused.class, AccessDenied.class);
    private static final int WARNING = 4;
    private static final int NOTICE = 5;
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ISO_INSTANT;

    private final SyslogProperties properties;
    private final AuditEvents events;
    private final ObjectMapper json;
    private final NamedParameterJdbcTemplate jdbc;
    private final String hostname;
    private final SSLSocketFactory tlsSockets;
    /** Messages written over the current connection (or the last one), the newest last. */
    private final Deque<byte[]> recent = new ArrayDeque<>();
    private Socket socket;
    private OutputStream out;
    private boolean broken;

    SyslogForwarder(SyslogProperties properties, AuditEvents events, ObjectMapper json,
                    NamedParameterJdbcTemplate jdbc) {
        this.properties = properties;
        this.events = events;
        this.json = json;
        this.jdbc = jdbc;
        this.hostname = field(properties.hostname().isBlank() ? localHostname() : properties.hostname(), 255);
        this.tlsSockets = tlsSockets(properties);
    }

    /** The JVM's TLS sockets, or those of a context that trusts what the configured trust store holds. */
    private static SSLSocketFactory tlsSockets(SyslogProperties properties) {
        if (properties.trustStore().isBlank()) {
            return (SSLSocketFactory) SSLSocketFactory.getDefault();
        }
        char[] password = properties.trustStorePassword().toCharArray();
        try (InputStream in = Files.newInputStream(Path.of(properties.trustStore()))) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("tokenledger.syslog.trust-store " + properties.trustStore()
                    + " cannot be read", e);
        }
    }

    /** Collects the processor batch's events; they are sent together just before the batch commits. */
    @EventHandler
    void on(EventMessage<?> event) {
        UnitOfWork<?> batch = CurrentUnitOfWork.get().root();
        batch.<List<EventMessage<?>>>getOrComputeResource(PENDING, key -> {
            List<EventMessage<?>> messages = new ArrayList<>();
            batch.onPrepareCommit(u -> send(messages));
            return messages;
        }).add(event);
    }

    /** Writes the batch in order and makes sure the connection still stands; any failure rolls the batch back. */
    private synchronized void send(List<EventMessage<?>> batch) {
        Map<String, Long> globalIndexes = new HashMap<>();
        jdbc.query("SELECT event_identifier, global_index FROM domain_event_entry WHERE event_identifier IN (:ids)",
                new MapSqlParameterSource("ids", batch.stream().map(EventMessage::getIdentifier).toList()),
                rs -> {
                    globalIndexes.put(rs.getString(1), rs.getLong(2));
                });
        List<byte[]> frames = new ArrayList<>(batch.size());
        for (EventMessage<?> event : batch) {
            frames.add(frame(message(event, globalIndexes.get(event.getIdentifier()))));
        }
        try {
            connect();
            for (byte[] frame : frames) {
                out.write(frame);
                remember(frame);
            }
            out.flush();
            checkOpen();
        } catch (IOException e) {
            disconnect();
            broken = true;
            throw new UncheckedIOException("syslog server " + properties.host() + ":" + properties.port()
                    + " did not take " + batch.size() + " audit records; they are sent again", e);
        }
    }

    /** The RFC 5424 message of one event. */
    String message(EventMessage<?> event, Long globalIndex) {
        AuditEvent audit = events.of(event, globalIndex);
        int severity = SECURITY_EVENTS.contains(event.getPayloadType()) ? WARNING : NOTICE;
        StringBuilder sd = new StringBuilder("[").append(SD_ID);
        param(sd, "eventId", event.getIdentifier());
        param(sd, "type", audit.type());
        param(sd, "globalIndex", globalIndex == null ? null : globalIndex.toString());
        param(sd, "aggregateId", audit.aggregateId());
        if (audit.actor() != null) {
            param(sd, "actorId", audit.actor().id());
            param(sd, "actor", audit.actor().username());
            param(sd, "actorRole", audit.actor().role());
        }
        param(sd, "clientIp", audit.clientIp());
        param(sd, "requestId", audit.requestId());
        sd.append(']');
        return "<" + (properties.facility() * 8 + severity) + ">1 "
                + TIMESTAMP.format(audit.timestamp().truncatedTo(ChronoUnit.MICROS)) + " "
                + hostname + " " + field(properties.appName(), 48) + " - " + field(audit.type(), 32) + " "
                + sd + " " + json.writeValueAsString(audit);
    }

    /** Octet counting (RFC 6587 3.4.1, RFC 5425 4.3): the message's length in bytes, a space, the message. */
    static byte[] frame(String message) {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        byte[] length = (bytes.length + " ").getBytes(StandardCharsets.US_ASCII);
        byte[] frame = new byte[length.length + bytes.length];
        System.arraycopy(length, 0, frame, 0, length.length);
        System.arraycopy(bytes, 0, frame, length.length, bytes.length);
        return frame;
    }

    private void remember(byte[] frame) {
        if (properties.resendOnReconnect() == 0) {
            return;
        }
        recent.addLast(frame);
        while (recent.size() > properties.resendOnReconnect()) {
            recent.removeFirst();
        }
    }

    private void connect() throws IOException {
        if (socket != null) {
            return;
        }
        Socket plain = new Socket();
        try {
            plain.connect(new InetSocketAddress(properties.host(), properties.port()),
                    (int) properties.connectTimeout().toMillis());
            plain.setKeepAlive(true);
            Socket connected = plain;
            if (properties.tls()) {
                SSLSocket tls = (SSLSocket) tlsSockets.createSocket(plain, properties.host(), properties.port(), true);
                SSLParameters parameters = tls.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS"); // the server's name must match its certificate
                tls.setSSLParameters(parameters);
                tls.startHandshake();
                connected = tls;
            }
            socket = connected;
            out = new BufferedOutputStream(connected.getOutputStream(), 64 * 1024);
        } catch (IOException e) {
            plain.close();
            throw e;
        }
        if (broken) {
            List<byte[]> again = new ArrayList<>(recent);
            log.info("Syslog connection to {}:{} restored; sending the last {} messages again", properties.host(),
                    properties.port(), again.size());
            for (byte[] frame : again) {
                out.write(frame);
            }
            broken = false;
        }
    }

    /**
     * Whether the server closed the connection: it never sends anything over it, so a read that ends (or fails)
     * means it is gone, and a read that times out means it stands.
     */
    private void checkOpen() throws IOException {
        int timeout = socket.getSoTimeout();
        try {
            socket.setSoTimeout(1);
            InputStream in = socket.getInputStream();
            if (in.read() < 0) {
                throw new IOException("the syslog server closed the connection");
            }
        } catch (SocketTimeoutException e) {
            // open: nothing to read, as expected
        } finally {
            if (!socket.isClosed()) {
                socket.setSoTimeout(timeout);
            }
        }
    }

    private void disconnect() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing a broken connection
            }
        }
        socket = null;
        out = null;
    }

    /** A structured-data parameter, its value escaped as RFC 5424 6.3.3 requires; left out when absent. */
    private static void param(StringBuilder sd, String name, String value) {
        if (value == null) {
            return;
        }
        sd.append(' ').append(name).append("=\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\' || c == ']') {
                sd.append('\\');
            }
            sd.append(c);
        }
        sd.append('"');
    }

    /** A header field: printable US-ASCII without spaces, at most {@code max} characters, "-" when empty. */
    private static String field(String value, int max) {
        if (value == null || value.isEmpty()) {
            return "-";
        }
        StringBuilder field = new StringBuilder();
        for (int i = 0; i < value.length() && field.length() < max; i++) {
            char c = value.charAt(i);
            field.append(c > 32 && c < 127 ? c : '_');
        }
        return field.toString();
    }

    private static String localHostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "-";
        }
    }
}
