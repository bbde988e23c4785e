package io.tokenledger.app.console;

import io.tokenledger.api.Actor;
import io.tokenledger.api.PageParams;
import io.tokenledger.api.token.TokenKind;
import io.tokenledger.api.token.TokenStatus;
import io.tokenledger.notifier.fault.FaultStatus;
import io.tokenledger.notifier.fault.Faults;
import io.tokenledger.query.token.TokenQueries;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;

/**
 * The dashboard: permanent tokens by status, login sessions, what expires within 7 and 30 days (and which
 * tokens those are), and open faults; kept current from the token stream. Users who may only see their own
 * tokens go to their Profile instead.
 */
@Controller
class DashboardController {
    /** How many of the tokens expiring soonest the dashboard lists. */
    static final int EXPIRING_SHOWN = 10;

    private final TokenQueries tokens;
    private final Faults faults;
    private final Clock clock;

    DashboardController(TokenQueries tokens, Faults faults, Clock clock) {
        this.tokens = tokens;
        this.faults = faults;
        this.clock = clock;
    }

    @GetMapping("/")
    String dashboard(@AuthenticationPrincipal Actor actor,
                     @RequestHeader(name = "HX-Request", required = false) String htmx, Model model) {
        if (!actor.canReadAll()) {
            return "redirect:/profile";
        }
        Instant now = clock.instant();
        TokenQueries.Summary summary = tokens.summary(now);
        model.addAttribute("summary", summary);
        model.addAttribute("permanent", TokenKind.PERMANENT);
        model.addAttribute("temporary", TokenKind.TEMPORARY);
        model.addAttribute("statuses", TokenStatus.values());
        model.addAttribute("active", TokenStatus.ACTIVE);
        model.addAttribute("expiring", tokens.list(new TokenQueries.Filter(TokenStatus.ACTIVE, null, TokenKind.PERMANENT,
                        null, now.plus(Duration.ofDays(30)).plusNanos(1)),
                PageRequest.of(0, EXPIRING_SHOWN, Sort.by("expires_at"))).items());
        model.addAttribute("openFaults", faults.list(new Faults.Filter(FaultStatus.OPEN, null),
                new PageParams(0, 1, null, true)).total());
        model.addAttribute("now", now);
        if (htmx != null) {
            return "dashboard :: figures";
        }
        model.addAttribute("activeNav", "dashboard");
        return "dashboard";
    }
}
