package io.tokenledger.notifier;

import io.tokenledger.api.settings.AppConfigChanged;
import io.tokenledger.api.settings.AppConfigCleared;
import io.tokenledger.api.settings.NotificationEmails;
import io.tokenledger.api.settings.SettingKey;
import io.tokenledger.api.token.TokenExpired;
import io.tokenledger.api.token.TokenExpiryApproaching;
import io.tokenledger.api.token.TokenInactivityApproaching;
import io.tokenledger.api.token.TokenLeakReported;
import io.tokenledger.api.token.TokenRevoked;
import io.tokenledger.api.token.TokenRotated;
import io.tokenledger.api.token.RotatedTokenReused;
import io.tokenledger.api.token.TokenUsedFromNewAddress;
import io.tokenledger.api.user.UserId;
import io.tokenledger.api.user.UserRegistered;
import io.tokenledger.notifier.fault.Faults;
import io.tokenledger.notifier.mail.ExpiryMail;
import io.tokenledger.notifier.mail.InactivityMail;
import io.tokenledger.notifier.mail.LeakMail;
import io.tokenledger.notifier.mail.Outbox;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.Timestamp;
import java.time.Instant;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Turns an expiry warning, or a leak report, into a fault and e-mails to the configured addresses and the token's owner, queued in
 * the outbox. A subscribing processor: all of it is written in the transaction of the command that raised the
 * warning (or revoked or expired the token), so a warning stored is a warning notified, exactly once, and a
 * revocation clears the token's faults before its answer. Sending is what is asynchronous: the outbox sender, on the instances with
 * the {@code notifier} role, delivers what was queued here. The directory of owners and recipients is kept in the
 * same group, so each warning sees it as of its own command. Idempotent by upserts and unique keys, should a
 * catch-up after an upgrade hand it an event twice.
 */
@Component
@ProcessingGroup(ExpiryNotifier.GROUP)
class ExpiryNotifier {
    static final String GROUP = "notifier";

    private final JdbcTemplate jdbc;
    private final Faults faults;
    private final Outbox outbox;
    private final String consoleUrl;

    ExpiryNotifier(JdbcTemplate jdbc, Faults faults, Outbox outbox,
                   ConsoleAddress console) {
        this.jdbc = jdbc;
        this.faults = faults;
        this.outbox = outbox;
        this.consoleUrl = console.consoleUrl();
    }

    /** A token's owner as the e-mails name them; no e-mail address means the owner gets none. */
    private record Owner(String username, String email) {
    }

    @EventHandler
    void on(UserRegistered event) {
        jdbc.update("""
                INSERT INTO notifier_user (user_id, username, email) VALUES (?, ?, ?)
                ON CONFLICT (user_id) DO UPDATE SET username = excluded.username, email = excluded.email""",
                event.userId().value(), event.username(), blankToNull(event.email()));
    }

    @EventHandler
    void on(AppConfigChanged event) {
        if (event.key() == SettingKey.EXPIRY_NOTIFICATION_EMAILS) {
            jdbc.update("""
                    INSERT INTO notifier_setting (setting_key, value) VALUES (?, ?)
                    ON CONFLICT (setting_key) DO UPDATE SET value = excluded.value""",
                    event.key().name(), event.value());
        }
    }

    @EventHandler
    void on(AppConfigCleared event) {
        if (event.key() == SettingKey.EXPIRY_NOTIFICATION_EMAILS) {
            jdbc.update("DELETE FROM notifier_setting WHERE setting_key = ?", event.key().name());
        }
    }

    @EventHandler
    void on(TokenExpiryApproaching event) {
        Owner owner = owner(event.ownerId());
        faults.raise(event, owner.username());
        ExpiryMail mail = ExpiryMail.of(event, owner.username(), consoleUrl);
        for (String recipient : recipients(owner)) {
            outbox.queue(event.tokenId(), event.daysBefore(), recipient, mail);
        }
    }

    /**
     * A token reported leaked (revoked just before, in the same command): a TOKEN_LEAKED fault, and an e-mail to the
     * configured addresses and the owner, as for an expiry warning.
     */
    @EventHandler
    void on(TokenLeakReported event) {
        Owner owner = owner(event.ownerId());
        faults.raise(event, owner.username());
        LeakMail mail = LeakMail.of(event, owner.username(), consoleUrl);
        for (String recipient : recipients(owner)) {
            outbox.queue(event.tokenId(), recipient, mail);
        }
    }

    /** A rotated token used after its successor: a ROTATED_TOKEN_REUSED fault; the token is left working. */
    @EventHandler
    void on(RotatedTokenReused event) {
        faults.raise(event, owner(event.ownerId()).username());
    }

    /**
     * A token rotated with a grace period is not revoked, but its expiry warnings are answered by its successor:
     * cleared, as a rotation without a grace period clears them by its revocation.
     */
    @EventHandler
    void on(TokenRotated event, @Timestamp Instant at) {
        if (event.graceEndsAt() != null) {
            faults.clearExpiring(event.tokenId(), at);
        }
    }

    /** A token the inactivity policy will revoke: an e-mail to the configured addresses and the owner. */
    @EventHandler
    void on(TokenInactivityApproaching event) {
        Owner owner = owner(event.ownerId());
        InactivityMail mail = InactivityMail.of(event, owner.username(), consoleUrl);
        for (String recipient : recipients(owner)) {
            outbox.queue(event.tokenId(), event.unusedSince(), recipient, mail);
        }
    }

    /** A use from a new address that the token marked to alert: a TOKEN_USED_FROM_NEW_ADDRESS fault. */
    @EventHandler
    void on(TokenUsedFromNewAddress event) {
        if (event.alert()) {
            faults.raise(event, owner(event.ownerId()).username());
        }
    }

    @EventHandler
    void on(TokenRevoked event) {
        faults.clear(event.tokenId(), event.revokedAt());
    }

    /** An expired token needs no more attention: its faults are cleared, as a revocation's are. */
    @EventHandler
    void on(TokenExpired event) {
        faults.clear(event.tokenId(), event.expiredAt());
    }

    private Owner owner(UserId ownerId) {
        return jdbc.query("SELECT username, email FROM notifier_user WHERE user_id = ?",
                        (rs, row) -> new Owner(rs.getString("username"), rs.getString("email")),
                        ownerId.value())
                .stream().findFirst()
                .orElseGet(() -> new Owner(ownerId.toString(), null));
    }

    /** The configured addresses, then the owner's; each address once, whatever its case. */
    private List<String> recipients(Owner owner) {
        Map<String, String> unique = new LinkedHashMap<>();
        configuredAddresses().forEach(a -> unique.putIfAbsent(a.toLowerCase(Locale.ROOT), a));
        if (owner.email() != null) {
            unique.putIfAbsent(owner.email().toLowerCase(Locale.ROOT), owner.email());
        }
        return List.copyOf(unique.values());
    }

    private List<String> configuredAddresses() {
        Optional<String> value = jdbc.queryForList("SELECT value FROM notifier_setting WHERE setting_key = ?",
                String.class, SettingKey.EXPIRY_NOTIFICATION_EMAILS.name()).stream().findFirst();
        return value.map(v -> NotificationEmails.parse(v).addresses()).orElse(List.of());
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }
}
