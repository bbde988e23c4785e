package io.tokenledger.query.audit;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tokenledger.api.CommandRejected;
import io.tokenledger.api.PageParams;
import io.tokenledger.api.PageResult;
import io.tokenledger.query.FilterInstant;
import io.tokenledger.query.QueryRole;
import io.tokenledger.query.credential.CredentialLookup;
import io.tokenledger.query.replay.ProjectionReplays;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.constraints.Size;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.WebAsyncUtils;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import tools.jackson.databind.ObjectMapper;

/**
 * The global audit log for admins and auditors: a filtered page as JSON, the same filter exported in full as
 * NDJSON or CSV, and the verification of the hash chain and of the authentication read model.
 */
@QueryRole
@Tag(name = "Audit")
@RestController
class AuditLogController {
    private static final Logger log = LoggerFactory.getLogger(AuditLogController.class);
    private static final String NDJSON = "application/x-ndjson";
    private static final String CSV = "text/csv";
    /** Bytes gathered before they go to the connection, so a chunk carries many events. */
    private static final int EXPORT_BUFFER = 64 * 1024;

    private final AuditLogQueries queries;
    private final AuditChain chain;
    private final ProjectionReplays replays;
    private final ObjectMapper json;

    AuditLogController(AuditLogQueries queries, AuditChain chain, ProjectionReplays replays, ObjectMapper json) {
        this.queries = queries;
        this.chain = chain;
        this.replays = replays;
        this.json = json;
    }

    @Operation(operationId = "listAuditEvents", summary = "The audit log, a page at a time, or exported whole as NDJSON or CSV (admins, auditors)")
    @GetMapping(path = "/api/audit/events", produces = MediaType.APPLICATION_JSON_VALUE)
    PageResult<AuditEvent> events(@RequestParam(required = false) @Size(max = 64) String from,
                                  @RequestParam(required = false) @Size(max = 64) String to,
                                  @RequestParam(required = false) @Size(max = 100) String type,
                                  @RequestParam(required = false) @Size(max = 64) String actorId,
                                  @RequestParam(required = false) @Size(max = 36) String userId,
                                  @RequestParam(required = false) @Size(max = 36) String tokenId,
                                  @RequestParam(required = false) Integer page,
                                  @RequestParam(required = false) Integer size,
                                  @RequestParam(required = false) String sort) {
        AuditLogQueries.Filter filter = filter(from, to, type, actorId, userId, tokenId);
        return queries.page(filter, PageParams.parse(page, size, sort, AuditLogQueries.SORTABLE.keySet()));
    }

    /**
     * Streams every event the filter selects, written as it is read from the database; the body is written after
     * this method returns, on another thread, so the request has already been authorised. A failure part-way is
     * logged and the connection is dropped without the closing chunk: the client sees a broken download, not a
     * short file that looks complete.
     */
    @Operation(operationId = "listAuditEvents", summary = "The audit log, a page at a time, or exported whole as NDJSON or CSV (admins, auditors)")
    @GetMapping(path = "/api/audit/events", produces = {NDJSON, CSV})
    ResponseEntity<StreamingResponseBody> export(@RequestParam(required = false) @Size(max = 64) String from,
                                                 @RequestParam(required = false) @Size(max = 64) String to,
                                                 @RequestParam(required = false) @Size(max = 100) String type,
                                                 @RequestParam(required = false) @Size(max = 64) String actorId,
                                                 @RequestParam(required = false) @Size(max = 36) String userId,
                                                 @RequestParam(required = false) @Size(max = 36) String tokenId,
                                                 @RequestHeader(HttpHeaders.ACCEPT) String accept,
                                                 HttpServletRequest request) {
        AuditLogQueries.Filter filter = filter(from, to, type, actorId, userId, tokenId);
        // Mapped here only when the Accept header allows one of the export formats.
        AuditExportFormat format = AuditExportFormat.accepted(accept).orElse(AuditExportFormat.NDJSON);
        // An export takes as long as it takes; a client that stops reading is dropped by the socket's write timeout.
        WebAsyncUtils.getAsyncManager(request).getAsyncWebRequest().setTimeout(0L);
        StreamingResponseBody body = out -> write(filter, format, out);
        return ResponseEntity.ok()
                .contentType(format.mediaType())
                .header(HttpHeaders.CONTENT_DISPOSITION,
                        ContentDisposition.attachment().filename(format.fileName()).build().toString())
                .body(body);
    }

    /** The chain, then the authentication read model (credential lookup) against the events it was built from. */
    @Operation(operationId = "verifyAuditLog", summary = "Verify the audit log's hash chain and the credential projection (admins, auditors)")
    @GetMapping("/api/audit/verify")
    AuditVerification verify() {
        return AuditVerification.of(chain.verify(), List.of(replays.check(CredentialLookup.PROJECTION)));
    }

    private void write(AuditLogQueries.Filter filter, AuditExportFormat format, OutputStream response)
            throws IOException {
        long started = System.nanoTime();
        try {
            OutputStream out = new BufferedOutputStream(response, EXPORT_BUFFER);
            long count = queries.export(filter, format.open(out, json));
            out.flush();
            log.info("Audit export of {} events as {} took {} ms", count, format,
                    (System.nanoTime() - started) / 1_000_000);
        } catch (IOException e) {
            log.info("Audit export as {} ended early: the client went away ({})", format, e.toString());
            throw e;
        } catch (RuntimeException e) {
            log.error("Audit export as {} failed part-way", format, e);
            throw new ExportAborted();
        }
    }

    /** An export failed after its first bytes were sent. Logged where it happened, so it carries no stack trace. */
    static final class ExportAborted extends RuntimeException {
        ExportAborted() {
            super("audit export failed part-way; the connection is closed without the closing chunk", null, false,
                    false);
        }
    }

    /**
     * Hands a failed export on to the servlet container, which closes the committed response's connection at once,
     * so the client sees an incomplete download. The generic error handler would log it a second time and try to
     * append a problem body to the half-written file.
     */
    @ExceptionHandler(ExportAborted.class)
    void aborted(ExportAborted e) {
        throw e;
    }

    private static AuditLogQueries.Filter filter(String from, String to, String type, String actorId, String userId,
                                                 String tokenId) {
        Instant start = instant("from", from);
        Instant end = instant("to", to);
        if (start != null && end != null && start.isAfter(end)) {
            throw CommandRejected.invalid("from", "must not be after 'to'");
        }
        return new AuditLogQueries.Filter(start, end, blankToNull(type), blankToNull(actorId), uuid("userId", userId),
                uuid("tokenId", tokenId));
    }

    /** An ISO-8601 instant parameter ({@code Z} or an offset), null when absent; anything else is refused. */
    static Instant instant(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return FilterInstant.checked(field, OffsetDateTime.parse(value.strip()).toInstant());
        } catch (DateTimeParseException e) {
            throw CommandRejected.invalid(field, "must be an ISO-8601 instant such as 2026-01-31T12:00:00Z");
        }
    }

    private static UUID uuid(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            // fromString also takes abbreviated forms such as 1-2-3-4-5; only the canonical one names an id here.
            if (value.strip().length() != 36) {
                throw new IllegalArgumentException();
            }
            return UUID.fromString(value.strip());
        } catch (IllegalArgumentException e) {
            throw CommandRejected.invalid(field, "must be a UUID");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
