package io.tokenledger.query.user;

import io.tokenledger.api.Actor;
import io.tokenledger.api.CommandRejected;
import io.tokenledger.api.token.TokenKind;
import io.tokenledger.api.user.FindUser;
import io.tokenledger.api.user.UserId;
import io.tokenledger.api.user.UserSummary;
import io.tokenledger.api.user.Usernames;
import io.tokenledger.api.PageResult;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.data.domain.PageRequest;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/** Reads of users, with their token counts, for the REST API and the query bus. */
@Component
public class UserQueries {
    /** Public sort fields of a list of users and the column of {@code user_view} each sorts on. */
    public static final Map<String, String> SORTABLE = Map.of(
            "username", "username", "email", "email", "displayName", "display_name", "role", "role",
            "enabled", "enabled", "createdAt", "created_at");

    /** How many users a console's user filter offers. */
    static final int CHOICES = 200;

    private final UserViewRepository users;
    private final NamedParameterJdbcTemplate jdbc;

    UserQueries(UserViewRepository users, NamedParameterJdbcTemplate jdbc) {
        this.users = users;
        this.jdbc = jdbc;
    }

    @QueryHandler
    public Optional<UserSummary> find(FindUser query) {
        return users.findById(query.userId().value()).map(u -> summary(u, counts(List.of(u.id()))));
    }

    public PageResult<UserSummary> list(Pageable pageable) {
        return list(null, pageable);
    }

    /** The users whose username contains {@code fragment} (any case; all of them when it is blank), a page. */
    public PageResult<UserSummary> list(String fragment, Pageable pageable) {
        Page<UserView> page = users.page(fragment == null || fragment.isBlank() ? null
                : fragment.strip().toLowerCase(java.util.Locale.ROOT), pageable);
        Map<UUID, UserSummary.TokenCounts> counts = counts(page.map(UserView::id).toList());
        return new PageResult<>(page.map(u -> summary(u, counts)).toList(), pageable.getPageNumber(),
                pageable.getPageSize(), page.getTotalElements());
    }

    /**
     * The users a console's user filter offers: the first {@code CHOICES} by username, and the chosen one (if any)
     * wherever it comes in that order, so a chosen user is always shown as chosen.
     */
    public List<UserSummary> choices(UUID chosen) {
        List<UserSummary> first = list(PageRequest.of(0, CHOICES, Sort.by("username"))).items();
        if (chosen == null || first.stream().anyMatch(u -> u.id().equals(chosen.toString()))) {
            return first;
        }
        List<UserSummary> all = new java.util.ArrayList<>(first);
        find(new FindUser(new UserId(chosen))).ifPresent(all::add);
        return all;
    }

    /** The profile of the caller, with the temporary token they are using, if any. */
    public Profile profile(Actor actor) {
        UserView user = users.findById(actor.userId().value())
                .orElseThrow(() -> CommandRejected.notFound("no user " + actor.userId()));
        Profile.TemporaryToken temporary = actor.tokenKind() == TokenKind.TEMPORARY
                ? new Profile.TemporaryToken(actor.tokenId().toString(), actor.tokenExpiresAt()) : null;
        return new Profile(user.id().toString(), user.username(), user.email(), user.displayName(),
                user.role(), temporary, user.passwordChangeRequired());
    }

    /** A user's row with the password hash, to check the current password of a change. */
    public Optional<UserView> findForPasswordCheck(io.tokenledger.api.user.UserId userId) {
        return users.findById(userId.value());
    }

    /** Whether the user's password is one generated for them, which they are asked to change. */
    public boolean passwordChangeRequired(io.tokenledger.api.user.UserId userId) {
        return users.findById(userId.value()).map(UserView::passwordChangeRequired).orElse(false);
    }

    /** The user a login names, case-insensitively. */
    public Optional<UserView> findForLogin(String username) {
        if (username.indexOf('\0') >= 0) {
            // No username holds a NUL, and PostgreSQL refuses one in a query: nobody by that name.
            return Optional.empty();
        }
        return users.findByUsernameKey(Usernames.canonical(username));
    }

    private Map<UUID, UserSummary.TokenCounts> counts(List<UUID> userIds) {
        Map<UUID, UserSummary.TokenCounts> counts = new HashMap<>();
        if (userIds.isEmpty()) {
            return counts;
        }
        jdbc.query("""
                SELECT user_id,
                       count(*) FILTER (WHERE status = 'ACTIVE' AND expires_at > :now) AS active,
                       count(*) FILTER (WHERE status = 'ACTIVE' AND expires_at <= :now OR status = 'EXPIRED') AS expired,
                       count(*) FILTER (WHERE status = 'REVOKED') AS revoked
                FROM token_view WHERE user_id IN (:ids) GROUP BY user_id""",
                Map.of("ids", userIds, "now", Timestamp.from(Instant.now())),
                rs -> {
                    counts.put(rs.getObject(1, UUID.class),
                            new UserSummary.TokenCounts(rs.getLong(2), rs.getLong(3), rs.getLong(4)));
                });
        return counts;
    }

    private static UserSummary summary(UserView u, Map<UUID, UserSummary.TokenCounts> counts) {
        return new UserSummary(u.id().toString(), u.username(), u.email(), u.displayName(), u.role(),
                u.enabled(), u.createdAt(), counts.getOrDefault(u.id(), new UserSummary.TokenCounts(0, 0, 0)),
                u.kind());
    }
}
