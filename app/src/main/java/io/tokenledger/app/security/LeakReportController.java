package io.tokenledger.app.security;

import com.github.benmanes.caffeine.cache.Ticker;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tokenledger.api.CommandRejected;
import io.tokenledger.api.token.ReportLeakedToken;
import io.tokenledger.api.token.TokenStatus;
import io.tokenledger.app.config.TokenLedgerProperties;
import io.tokenledger.app.web.Problems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Where secret scanners (GitHub's secret scanning partner programme and the like) report tokens they found in
 * public: anyone may call it, up to {@code tokenledger.leak-reports.max-per-minute} times a minute per client
 * address. The answer is 202 whatever was reported, so it tells nothing of which tokens exist; each active one is
 * revoked (reason {@code REPORTED_LEAKED}), which raises a TOKEN_LEAKED fault and e-mails its owner and the
 * notification list. Only well-formed tokens with a valid checksum are looked up, by hash.
 */
@Tag(name = "Credentials")
@RestController
class LeakReportController {
    static final String PATH = "/api/credentials/revoke";
    /** Most tokens one report may carry. */
    static final int MAX_CREDENTIALS = 1000;
    private static final Logger log = LoggerFactory.getLogger(LeakReportController.class);

    private final TokenCheck tokens;
    private final CommandGateway commands;
    private final int maxPerMinute;
    private final PerClientLimit limit;

    LeakReportController(TokenCheck tokens, CommandGateway commands, TokenLedgerProperties properties) {
        this.tokens = tokens;
        this.commands = commands;
        this.maxPerMinute = properties.leakReports().maxPerMinute();
        this.limit = new PerClientLimit(maxPerMinute, Duration.ofMinutes(1), Ticker.systemTicker());
    }

    /** A report: the tokens found, and where (a URL, a repository: the reporter's word). */
    record LeakReport(@NotNull @Size(max = MAX_CREDENTIALS) List<@NotNull @Size(max = 200) String> credentials,
                      @Size(max = 200) String source) {
        @Override
        public String toString() {
            return "LeakReport[" + (credentials == null ? 0 : credentials.size()) + " credentials, source=" + source
                    + "]";
        }
    }

    @Operation(operationId = "reportLeakedCredentials", summary = "Report leaked tokens (secret scanners)", description = "Anyone, rate-limited per client "
            + "address. {credentials: [up to 1000 tokens], source?} → 202 whatever they were; each active one is "
            + "revoked with reason REPORTED_LEAKED, its owner and the notification list are e-mailed and a "
            + "TOKEN_LEAKED fault is raised.")
    @ApiResponse(responseCode = "202", description = "The report is accepted; nothing tells which credentials were tokens",
            content = @Content)
    @ApiResponse(responseCode = "429", description = "Too many reports from this address; see Retry-After")
    @PostMapping(PATH)
    ResponseEntity<?> report(@Valid @RequestBody LeakReport report, HttpServletRequest request) {
        if (!limit.allow(request.getRemoteAddr())) {
            ProblemDetail problem = Problems.of(HttpStatus.TOO_MANY_REQUESTS, "too-many-reports",
                    "at most " + maxPerMinute + " reports a minute are taken from one client address");
            return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS).header(HttpHeaders.RETRY_AFTER, "60")
                    .contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON).body(problem);
        }
        Set<String> unique = new LinkedHashSet<>(report.credentials());
        int revoked = 0;
        for (String credential : unique) {
            var active = tokens.check(credential.strip()).found()
                    .filter(c -> c.status() == TokenStatus.ACTIVE || c.status() == TokenStatus.ROTATING);
            if (active.isPresent()) {
                try {
                    commands.sendAndWait(new ReportLeakedToken(active.get().tokenId(), report.source()));
                    revoked++;
                } catch (CommandRejected e) {
                    // changed meanwhile: nothing to revoke
                }
            }
        }
        log.info("Leaked-credentials report from {}: {} credentials, {} active tokens revoked",
                request.getRemoteAddr(), unique.size(), revoked);
        return ResponseEntity.accepted().build();
    }
}
