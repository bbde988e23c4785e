package io.tokenledger.command.token;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import io.tokenledger.api.Actor;
import io.tokenledger.api.CommandRejected;
import io.tokenledger.api.token.CreatePermanentToken;
import io.tokenledger.api.token.DescribeToken;
import io.tokenledger.api.token.IssueTemporaryToken;
import io.tokenledger.api.settings.SettingKey;
import io.tokenledger.api.token.MarkExpiryApproaching;
import io.tokenledger.api.token.NoteTokenAddress;
import io.tokenledger.api.token.PermanentTokenCreated;
import io.tokenledger.api.token.ReportLeakedToken;
import io.tokenledger.api.token.ReportRotatedTokenReuse;
import io.tokenledger.api.token.RevokeToken;
import io.tokenledger.api.token.RotateToken;
import io.tokenledger.api.token.RotatedTokenReused;
import io.tokenledger.api.token.Scopes;
import io.tokenledger.api.token.TemporaryTokenIssued;
import io.tokenledger.api.token.TokenExpired;
import io.tokenledger.api.token.TokenExpiryApproaching;
import io.tokenledger.api.token.TokenDescribed;
import io.tokenledger.api.token.TokenId;
import io.tokenledger.api.token.TokenKind;
import io.tokenledger.api.token.TokenLabels;
import io.tokenledger.api.token.TokenLeakReported;
import io.tokenledger.api.token.TokenRevoked;
import io.tokenledger.api.token.TokenRotated;
import io.tokenledger.api.token.TokenState;
import io.tokenledger.api.token.TokenStatus;
import io.tokenledger.api.token.TokenInactivityApproaching;
import io.tokenledger.api.token.TokenUsedFromNewAddress;
import io.tokenledger.api.token.WarnOfInactivity;
import io.tokenledger.api.user.UserId;
import io.tokenledger.command.CommandRole;
import io.tokenledger.api.PrintableText;
import io.tokenledger.api.audit.AuditMetadata;
import io.tokenledger.command.expiry.ExpiryWarnings;
import io.tokenledger.command.expiry.WarningLadder;
import io.tokenledger.command.scope.ScopeCatalog;
import io.tokenledger.command.settings.CurrentSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.deadline.DeadlineMessage;
import org.axonframework.deadline.annotation.DeadlineHandler;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.messaging.MetaData;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * An API token. It knows only the hash of its secret, never the plaintext. Each token has one persistent task that
 * fires at the next moment it must act on ({@link ExpiryWarnings}): a permanent token's next expiry warning on the
 * ladder in force, or else its expiry; a temporary token's expiry. The task fires once, on one instance, also after a
 * restart; the token plans it when it is created and again after each warning, and revoking, rotating and expiry
 * cancel it. A token rotated with a grace period keeps working until the grace ends (or its expiry, if sooner),
 * when its task expires it. Expiry deadlines stored by older versions (in the token's own deadline scope) still
 * expire it.
 */
@CommandRole
@Aggregate
public class Token {
    /** Name of the deadline that expired a token in older versions, and of an expiry in the audit log. */
    public static final String EXPIRY_DEADLINE = "token-expiry";
    /** Longest token name. */
    public static final int MAX_NAME_LENGTH = 100;
    private static final Duration WARNING_CLOCK_SKEW = Duration.ofMinutes(1);
    /** A use from a new address alerts only after this long: a new token's first addresses are expected. */
    public static final Duration NEW_ADDRESS_ALERT_AFTER = Duration.ofHours(24);

    /** The id as text: deadlines store their aggregate scope serialized, and a plain string survives that. */
    @AggregateIdentifier
    private String aggregateId;
    private TokenState state;
    /** Every address (client address, user agent, client) the token was ever used from, as {@link #address}. */
    private final Set<String> addresses = new HashSet<>();
    /** The start of the period of disuse the token was last warned of, if any. */
    private Instant warnedUnusedSince;

    protected Token() {
    }

    @CommandHandler
    public Token(IssueTemporaryToken command, ExpiryWarnings expiry, TokenOwners owners) {
        if (!command.expiresAt().isAfter(command.issuedAt())) {
            throw CommandRejected.invalid("expiresAt", "must be after the time of issue");
        }
        if (command.passwordVersion() != null) {
            owners.requireLogin(command.userId(), command.passwordVersion());
        }
        apply(new TemporaryTokenIssued(command.tokenId(), command.userId(), command.hash(), command.hint(),
                command.issuedAt(), command.expiresAt()));
        expiry.expireAt(command.tokenId(), command.expiresAt());
    }

    /**
     * Creates a permanent token ({@link NewPermanentTokens}), possibly as the successor of a rotated one. The owner
     * and the App Config are read here, in the command's transaction, once each: the owner under a lock that a
     * disabling waits for, the max lifetime and the warning ladder together.
     */
    Token(CreatePermanentToken command, TokenId rotatedFrom, TokenOwners owners, TokenNameClaims names,
          CurrentSettings settings, ExpiryWarnings warnings, ScopeCatalog catalog) {
        Instant now = now();
        String tokenName = checkedName(command.name());
        List<String> scopes = Scopes.requested(command.scopes());
        String description = TokenLabels.description(command.description());
        List<String> tags = TokenLabels.tags(command.tags());
        owners.requireEnabled(command.ownerId());
        CurrentSettings.TokenPolicy policy = settings.tokenPolicy();
        Instant expiresAt = command.expiresAt() == null ? policy.defaultExpiry(now) : command.expiresAt();
        checkExpiry(expiresAt, now, policy.maxLifetime());
        catalog.requireRegistered(Scopes.platform(scopes));
        if (!names.claim(command.ownerId(), tokenName, command.tokenId())) {
            throw CommandRejected.conflict("the user already has an active token named '" + tokenName + "'");
        }
        apply(new PermanentTokenCreated(command.tokenId(), command.ownerId(), tokenName, command.hash(),
                command.hint(), now, command.createdBy(), expiresAt, rotatedFrom, scopes, description, tags));
        // The state is sourced from the creation only once this constructor returns.
        planWarning(command.tokenId(), expiresAt, null, policy.warnings(), now, warnings);
    }

    /** What the token's events add up to so far. */
    TokenState state() {
        return state;
    }

    @CommandHandler
    public void handle(RevokeToken command, TokenNameClaims names, ExpiryWarnings warnings) {
        checkAccess(command.actor());
        if (command.reason() != null && !PrintableText.isPrintable(command.reason())) {
            throw CommandRejected.invalid("reason", "must contain printable characters only");
        }
        if (state.status() != TokenStatus.ACTIVE && state.status() != TokenStatus.ROTATING) {
            return;
        }
        UserId by = command.actor() == null ? null : command.actor().userId();
        apply(new TokenRevoked(state.tokenId(), state.ownerId(), state.hash(), by, command.reason(), now(),
                command.jobId()));
        names.release(state.tokenId());
        cancelWarning(warnings);
    }

    /**
     * Changes the description and tags of an active permanent token; what the command leaves null stays. A change
     * that changes nothing records nothing. A temporary token has neither; a revoked or expired one is history, and
     * its labels stay as they were when it ended.
     */
    @CommandHandler
    public void handle(DescribeToken command) {
        checkAccess(command.actor());
        if (state.kind() != TokenKind.PERMANENT) {
            throw CommandRejected.conflict("only permanent tokens have a description and tags");
        }
        String description = command.description() == null ? state.description()
                : TokenLabels.description(command.description());
        List<String> tags = command.tags() == null ? state.tags() : TokenLabels.tags(command.tags());
        if (state.statusAt(now()) != TokenStatus.ACTIVE) {
            throw CommandRejected.conflict("the token is " + state.statusAt(now()).name().toLowerCase()
                    + " and its description and tags can no longer change");
        }
        if (Objects.equals(description, state.description()) && tags.equals(state.tags())) {
            return;
        }
        apply(new TokenDescribed(state.tokenId(), state.ownerId(), description, tags,
                command.actor() == null ? null : command.actor().userId(), now()));
    }

    /**
     * A secret scanner found the token somewhere public: an active one is revoked at once and the leak recorded after
     * the revocation (so the fault it raises is not cleared by it); anything else is left alone, and the reporter is
     * told nothing either way.
     */
    @CommandHandler
    public void handle(ReportLeakedToken command, TokenNameClaims names, ExpiryWarnings warnings) {
        Instant now = now();
        if (!state.worksAt(now)) {
            return;
        }
        String source = command.source() == null || command.source().isBlank() ? null : command.source().strip();
        if (source != null && (!PrintableText.isPrintable(source) || source.length() > 200)) {
            source = null;
        }
        apply(new TokenRevoked(state.tokenId(), state.ownerId(), state.hash(), null, RevokeToken.REPORTED_LEAKED,
                now));
        names.release(state.tokenId());
        cancelWarning(warnings);
        apply(new TokenLeakReported(state.tokenId(), state.ownerId(), state.name(), state.hint(), state.expiresAt(),
                state.scopes(), source, now));
    }

    /**
     * Retires this token in favour of its successor; the caller creates the successor in the same unit of work.
     * Without a grace period the token is revoked at once; with one it is rotating until the grace ends, or until
     * its own expiry if that comes first, when its task expires it. Either way its name passes to the successor and
     * no more expiry warnings are planned.
     */
    CreatePermanentToken rotate(RotateToken command, TokenNameClaims names, ExpiryWarnings warnings) {
        checkAccess(command.actor());
        if (state.kind() != TokenKind.PERMANENT) {
            throw CommandRejected.conflict("only permanent tokens can be rotated");
        }
        if (state.status() != TokenStatus.ACTIVE) {
            throw CommandRejected.conflict("the token is " + state.status().name().toLowerCase()
                    + " and cannot be rotated");
        }
        Duration grace = command.gracePeriod();
        if (grace != null && (grace.isNegative() || grace.isZero()
                || grace.compareTo(RotateToken.MAX_GRACE_PERIOD) > 0)) {
            throw CommandRejected.invalid("gracePeriod", "must be a positive ISO-8601 duration of at most P7D");
        }
        Instant now = now();
        UserId by = command.actor().userId();
        if (grace == null) {
            apply(new TokenRotated(state.tokenId(), command.newTokenId(), by));
            apply(new TokenRevoked(state.tokenId(), state.ownerId(), state.hash(), by, RevokeToken.ROTATED, now));
        } else {
            apply(new TokenRotated(state.tokenId(), command.newTokenId(), by, now.plus(grace)));
        }
        names.release(state.tokenId());
        cancelWarning(warnings);
        if (state.status() == TokenStatus.ROTATING) {
            warnings.expireAt(state.tokenId(), state.endsAt());
        }
        return new CreatePermanentToken(command.newTokenId(), state.ownerId(), state.name(), command.hash(),
                command.hint(), command.expiresAt(), by,
                command.scopes() == null ? state.scopes() : command.scopes(), state.description(), state.tags());
    }

    /**
     * The recorded uses show the rotating token used after its successor: recorded once, as an alert. The token
     * keeps working until its grace ends; anything but a rotating token is left alone.
     */
    @CommandHandler
    public void handle(ReportRotatedTokenReuse command) {
        Instant now = now();
        if (state.statusAt(now) != TokenStatus.ROTATING || state.reuseReportedAt() != null) {
            return;
        }
        apply(new RotatedTokenReused(state.tokenId(), state.ownerId(), state.name(), state.hint(),
                state.expiresAt(), state.scopes(), state.replacedBy(), state.graceEndsAt(), now));
    }

    /**
     * The token's task fell due (or a stale one, planned before a ladder change or before the token was retired:
     * the rules decide, not the plan). A working token past its end (its expiry, or a rotating token's grace)
     * expires. Otherwise an active permanent token records the closest threshold of the ladder in force that has
     * been reached, once per threshold and never after a closer warning, then plans what comes next: its next
     * warning, or its expiry.
     */
    @CommandHandler
    public void handle(MarkExpiryApproaching command, CurrentSettings settings, ExpiryWarnings warnings) {
        Instant now = now();
        if (state.status() != TokenStatus.ACTIVE && state.status() != TokenStatus.ROTATING) {
            warnings.cancel(state.tokenId());
            return;
        }
        if (!now.isBefore(state.endsAt())) {
            expire(warnings, MetaData.with(AuditMetadata.DEADLINE, EXPIRY_DEADLINE));
            return;
        }
        if (state.kind() != TokenKind.PERMANENT || state.status() == TokenStatus.ROTATING) {
            // fired early (the instance's clock behind the planner's): due again at the end
            warnings.expireAt(state.tokenId(), state.endsAt());
            return;
        }
        CurrentSettings.WarningPolicy policy = settings.warningPolicy();
        // A minute's grace: the instance that fires the warning may run slightly behind the one that planned it.
        Instant graced = now.plus(WARNING_CLOCK_SKEW);
        ExpiryWarnings.Pending due = WarningLadder.next(policy.days().days(), state.expiresAt(),
                state.closestWarningDays(), graced);
        if (due != null && !due.at().isAfter(graced)) {
            apply(new TokenExpiryApproaching(state.tokenId(), state.ownerId(), state.name(), state.hint(),
                    state.expiresAt(), due.daysBefore(), now, state.scopes()));
        }
        planWarning(state.tokenId(), state.expiresAt(), state.closestWarningDays(), policy, now, warnings);
    }

    /**
     * The token was seen used from an address: recorded once per address, for an active permanent token (a login
     * session's addresses are listed, not recorded: its login is; a token retired since the use needs no record of
     * it, the usage list still shows it). With the alert switched on, a use past the token's first
     * {@link #NEW_ADDRESS_ALERT_AFTER} is marked to alert.
     */
    @CommandHandler
    public void handle(NoteTokenAddress command, CurrentSettings settings) {
        String userAgent = command.userAgent() == null ? "" : command.userAgent();
        String client = command.client() == null ? "" : command.client();
        if (state.kind() != TokenKind.PERMANENT || state.statusAt(now()) != TokenStatus.ACTIVE
                || addresses.contains(address(command.ip(), userAgent, client))) {
            return;
        }
        boolean alert = !command.firstSeenAt().isBefore(state.createdAt().plus(NEW_ADDRESS_ALERT_AFTER))
                && settings.value(SettingKey.ALERT_ON_NEW_ADDRESS).map("true"::equals).orElse(false);
        apply(new TokenUsedFromNewAddress(state.tokenId(), state.ownerId(), state.name(), state.hint(), state.expiresAt(),
                command.ip(),
                userAgent, client, command.firstSeenAt(), alert));
    }

    /**
     * The inactivity policy warns an active permanent token of its coming revocation: once per period of disuse
     * (a use in between starts another, with a later {@code unusedSince}).
     */
    @CommandHandler
    public void handle(WarnOfInactivity command) {
        Instant now = now();
        if (state.kind() != TokenKind.PERMANENT || state.statusAt(now) != TokenStatus.ACTIVE
                || command.unusedSince().equals(warnedUnusedSince)) {
            return;
        }
        apply(new TokenInactivityApproaching(state.tokenId(), state.ownerId(), state.name(), state.hint(),
                state.expiresAt(), state.scopes(), command.unusedSince(), command.revokeAt(), now));
    }

    private static String address(String ip, String userAgent, String client) {
        return ip + '\0' + userAgent + '\0' + client;
    }

    /**
     * An expiry deadline stored by an older version. It has no payload: its message comes first, or Axon would take
     * the resource for the payload.
     */
    @DeadlineHandler(deadlineName = EXPIRY_DEADLINE)
    void expire(DeadlineMessage<?> deadline, ExpiryWarnings warnings) {
        if (state.status() == TokenStatus.ACTIVE || state.status() == TokenStatus.ROTATING) {
            expire(warnings, MetaData.emptyInstance());
        }
    }

    /**
     * Expires the token and forgets its plan. The event names the expiry as the deadline that caused it, whichever
     * task fired it.
     */
    private void expire(ExpiryWarnings warnings, MetaData metaData) {
        apply(new TokenExpired(state.tokenId(), state.ownerId(), state.hash(), state.endsAt()), metaData);
        cancelWarning(warnings);
    }

    /** Plans a permanent token's next warning from the ladder in force and the closest warning it has given. */
    private static void planWarning(TokenId tokenId, Instant expiresAt, Integer closestWarnedDays,
                                    CurrentSettings.WarningPolicy policy, Instant now, ExpiryWarnings warnings) {
        warnings.plan(tokenId, expiresAt, closestWarnedDays,
                WarningLadder.next(policy.days().days(), expiresAt, closestWarnedDays, now), policy.version());
    }

    private void cancelWarning(ExpiryWarnings warnings) {
        if (state.kind() == TokenKind.PERMANENT) {
            warnings.cancel(state.tokenId());
        }
    }

    /**
     * Admins may act on any token; everyone else only on their own. Auditors read every token, so theirs is a
     * refusal by role; to a user, others' tokens do not exist.
     */
    private void checkAccess(Actor actor) {
        if (actor != null && !actor.isAdmin() && !actor.userId().equals(state.ownerId())) {
            if (actor.canReadAll()) {
                throw CommandRejected.forbidden("your role does not allow this");
            }
            throw CommandRejected.notFound("no token " + state.tokenId());
        }
    }

    static String checkedName(String name) {
        String stripped = name == null ? "" : name.strip();
        if (stripped.isEmpty() || stripped.codePointCount(0, stripped.length()) > MAX_NAME_LENGTH) {
            throw CommandRejected.invalid("name", "must be 1 to " + MAX_NAME_LENGTH + " characters");
        }
        if (!PrintableText.isPrintable(stripped)) {
            throw CommandRejected.invalid("name", "must contain printable characters only");
        }
        return stripped;
    }

    private static void checkExpiry(Instant expiresAt, Instant now, Duration maxLifetime) {
        if (!expiresAt.isAfter(now)) {
            throw CommandRejected.invalid("expiresAt", "must be in the future");
        }
        if (expiresAt.isAfter(now.plus(maxLifetime))) {
            throw CommandRejected.invalid("expiresAt",
                    "must be at most " + maxLifetime.toDays() + " days from now");
        }
    }

    private static Instant now() {
        return GenericEventMessage.clock.instant();
    }

    /**
     * Every event of the token, through the one definition of what it changes. The {@code TokenUsed} events older
     * versions stored come here too and change nothing; they are not upcast away, since the audit history, the audit
     * log's rebuild and the hash chain read the same stream and must still see them.
     */
    @EventSourcingHandler
    void on(Object event) {
        state = TokenState.evolve(state, event);
        if (event instanceof TokenUsedFromNewAddress e) {
            addresses.add(address(e.ip(), e.userAgent(), e.client()));
        } else if (event instanceof TokenInactivityApproaching e) {
            warnedUnusedSince = e.unusedSince();
        }
        aggregateId = state.tokenId().toString();
    }
}
