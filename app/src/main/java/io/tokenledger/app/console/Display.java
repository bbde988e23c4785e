package io.tokenledger.app.console;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.springframework.stereotype.Component;

/** How the console writes times: UTC, to the minute, so every viewer reads the same value as the API. */
@Component("display")
public class Display {
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DATE = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);

    /** Date and time, or a dash for never. */
    public String time(Instant instant) {
        return instant == null ? "—" : DATE_TIME.format(instant);
    }

    /**
     * How long ago (or from now) an instant is, as a person says it beside the UTC instant: "just now", "3 min ago",
     * "1 hour ago", "in 2 days"; empty for never.
     */
    public String relative(Instant instant) {
        return instant == null ? "" : relative(Instant.now(), instant);
    }

    String relative(Instant now, Instant instant) {
        long seconds = Duration.between(instant, now).toSeconds();
        boolean past = seconds >= 0;
        long s = Math.abs(seconds);
        if (s < 60) {
            return past ? "just now" : "in under a minute";
        }
        String amount;
        if (s < 3600) {
            amount = (s / 60) + " min";
        } else if (s < 86400) {
            amount = count(s / 3600, "hour", "hours");
        } else if (s < 86400L * 60) {
            amount = count(s / 86400, "day", "days");
        } else if (s < 86400L * 730) {
            amount = count(s / (86400L * 30), "month", "months");
        } else {
            amount = count(s / (86400L * 365), "year", "years");
        }
        return past ? amount + " ago" : "in " + amount;
    }

    /** The date alone, or a dash for none. */
    public String date(Instant instant) {
        return instant == null ? "—" : DATE.format(instant);
    }

    /** How long from {@code now} until {@code then} as a person counts it: "in 3 days" for any part of a third day. */
    public String daysUntil(Instant now, Instant then) {
        long seconds = Duration.between(now, then).toSeconds();
        if (seconds < Duration.ofDays(1).toSeconds()) {
            return "within a day";
        }
        long days = (seconds + Duration.ofDays(1).toSeconds() - 1) / Duration.ofDays(1).toSeconds();
        return days == 1 ? "in 1 day" : "in " + days + " days";
    }

    /** A number with its noun, singular for one: "1 token", "3 tokens". */
    public String count(long n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }

    /** A status as the portal writes it: {@code ACTIVE} → {@code Active}. */
    /** A user's kind as the console names it: Person, Service account. */
    public String kind(io.tokenledger.api.user.UserKind kind) {
        return kind == io.tokenledger.api.user.UserKind.SERVICE_ACCOUNT ? "Service account" : "Person";
    }

    public String status(Enum<?> status) {
        String name = status.name();
        return name.charAt(0) + name.substring(1).toLowerCase();
    }
}
