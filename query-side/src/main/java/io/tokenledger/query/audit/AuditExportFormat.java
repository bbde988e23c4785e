package io.tokenledger.query.audit;

import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.ObjectWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.http.MediaType;

/** The file formats of an audit log export, each writing one event per line. */
enum AuditExportFormat {
    /** One {@link AuditEvent} JSON object per line. */
    NDJSON(new MediaType("application", "x-ndjson"), "ndjson") {
        @Override
        AuditLogQueries.Sink open(OutputStream out, ObjectMapper json) {
            ObjectWriter writer = json.writerFor(AuditEvent.class);
            return event -> {
                out.write(writer.writeValueAsBytes(event));
                out.write('\n');
            };
        }
    },
    /** RFC 4180: a header row, then one row per event with the payload's JSON text in the last column. */
    CSV(new MediaType("text", "csv", StandardCharsets.UTF_8), "csv") {
        @Override
        AuditLogQueries.Sink open(OutputStream out, ObjectMapper json) throws IOException {
            csvRow(out, CSV_HEADER);
            return event -> {
                AuditEvent.Actor actor = event.actor();
                csvRow(out, String.valueOf(event.globalIndex()),
                        event.sequence() == null ? null : String.valueOf(event.sequence()), event.aggregateId(),
                        event.type(), event.timestamp().toString(), actor == null ? null : actor.id(),
                        actor == null ? null : actor.username(), actor == null ? null : actor.role(),
                        event.clientIp(), event.userAgent(), event.requestId(), event.correlationId(),
                        event.traceId(), event.deadline(), json.writeValueAsString(event.payload()));
            };
        }
    };

    private static final String[] CSV_HEADER = {"globalIndex", "sequence", "aggregateId", "type", "timestamp",
            "actorId", "actorUsername", "actorRole", "clientIp", "userAgent", "requestId", "correlationId",
            "traceId", "deadline", "payload"};

    private final MediaType mediaType;
    private final String extension;

    AuditExportFormat(MediaType mediaType, String extension) {
        this.mediaType = mediaType;
        this.extension = extension;
    }

    MediaType mediaType() {
        return mediaType;
    }

    String fileName() {
        return "audit-events." + extension;
    }

    /** Starts the file on {@code out} and returns what writes each event to it. */
    abstract AuditLogQueries.Sink open(OutputStream out, ObjectMapper json) throws IOException;

    private static void csvRow(OutputStream out, String... fields) throws IOException {
        String line = Arrays.stream(fields).map(AuditExportFormat::csvField)
                .collect(Collectors.joining(",", "", "\r\n"));
        out.write(line.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Quoted when it holds a comma, a quote or a line break, its quotes doubled; null is an empty field. A value a
     * spreadsheet would take for a formula (it starts with {@code =}, {@code +}, {@code -}, {@code @}, a tab or a
     * carriage return: a User-Agent, a reason, anything a client wrote) is written as text, behind a single quote
     * and quoted (OWASP, CSV injection), so opening the export runs nothing.
     */
    private static String csvField(String value) {
        if (value == null) {
            return "";
        }
        boolean formula = !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0;
        if (!formula && value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0
                && value.indexOf('\r') < 0) {
            return value;
        }
        return '"' + (formula ? "'" : "") + value.replace("\"", "\"\"") + '"';
    }

    /**
     * The format the client prefers among those its {@code Accept} header allows (by quality, then in the order
     * given), if it allows one of them; {@code text/*} asks for CSV.
     */
    static Optional<AuditExportFormat> accepted(String accept) {
        if (accept == null) {
            return Optional.empty();
        }
        List<MediaType> types = new ArrayList<>(MediaType.parseMediaTypes(accept));
        types.sort(Comparator.comparingDouble(MediaType::getQualityValue).reversed());
        for (MediaType type : types) {
            for (AuditExportFormat format : values()) {
                if (type.getQualityValue() > 0 && type.includes(format.mediaType)) {
                    return Optional.of(format);
                }
            }
        }
        return Optional.empty();
    }
}
