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
