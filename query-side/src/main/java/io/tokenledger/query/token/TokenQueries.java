package io.tokenledger.query.token;

import io.tokenledger.api.token.ActiveTokens;
import io.tokenledger.api.token.FindActiveTokens;
import io.tokenledger.api.token.FindToken;
import io.tokenledger.api.token.Scopes;
import io.tokenledger.api.token.TokenId;
import io.tokenledger.api.token.TokenKind;
import io.tokenledger.api.token.TokenSelection;
import io.tokenledger.api.token.TokenStatus;
import io.tokenledger.api.token.TokenView;
import io.tokenledger.api.PageResult;
import io.tokenledger.query.TextSearch;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Reads of the token inventory. Status is computed at read time: an ACTIVE token past its expiry, or a ROTATING one
 * past the end of its grace or its expiry, reads as EXPIRED even before its deadline has fired.
 */
@Component
public class TokenQueries {
    /** The processing group of the projection these queries read. */
    public static final String PROJECTION = "token-inventory";
    private static final String STATUS = "CASE WHEN status IN ('ACTIVE', 'ROTATING') AND (expires_at <= :now "
            + "OR grace_ends_at <= :now) THEN 'EXPIRED' ELSE status END";
    /**
     * The inventory with each token's owner named from {@code token_owner} (see {@code TokenInventoryProjection});
     * a token projected before its owner's registration shows the owner's id until then. The last use comes from
     * {@code token_usage} ({@link TokenUsageRecorder}), which no event feeds and no rebuild of the inventory clears.
     */
    private static final String INVENTORY = """
            (SELECT v.*, coalesce(o.username, v.user_id::text) AS username, u.last_used_at, u.last_used_ip,
                    u.last_used_client
             FROM token_view v LEFT JOIN token_owner o ON o.user_id = v.user_id
                  LEFT JOIN token_usage u ON u.token_id = v.id) inventory""";
    /** Public sort fields and the SQL each sorts on. */
    public static final Map<String, String> SORTABLE = Map.of(
            "name", "lower(name)", "username", "username", "createdAt", "created_at", "lastUsedAt", "last_used_at",
            "expiresAt", "expires_at", "status", "computed_status", "kind", "kind");

    private final NamedParameterJdbcTemplate jdbc;

    TokenQueries(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Filters of a token list; null means "any". {@code selection} holds those a bulk revoke selects by too. */
    public record Filter(TokenStatus status, Instant expiresBefore, TokenSelection selection) {
        public Filter(TokenStatus status, UUID userId, TokenKind kind, String q, Instant expiresBefore,
                      String scope) {
            this(status, expiresBefore, new TokenSelection(userId, kind, scope, null, q, null, null));
        }

        public Filter(TokenStatus status, UUID userId, TokenKind kind, String q, Instant expiresBefore) {
            this(status, userId, kind, q, expiresBefore, null);
        }
    }

    /**
     * Counts for a dashboard: tokens by kind and status (as a read now shows it), and active permanent tokens
     * that expire within 7 and within 30 days.
     */
    public record Summary(Map<TokenKind, Map<TokenStatus, Long>> counts, long expiringIn7Days,
                          long expiringIn30Days) {
        /** How many tokens of this kind have this status. */
        public long count(TokenKind kind, TokenStatus status) {
            return counts.getOrDefault(kind, Map.of()).getOrDefault(status, 0L);
        }
    }

    /** The dashboard's counts, as of {@code now}, in two reads of the inventory. */
    public Summary summary(Instant now) {
        MapSqlParameterSource params = new MapSqlParameterSource("now", Timestamp.from(now))
                .addValue("in7", Timestamp.from(now.plus(Duration.ofDays(7))))
                .addValue("in30", Timestamp.from(now.plus(Duration.ofDays(30))));
        Map<TokenKind, Map<TokenStatus, Long>> counts = new EnumMap<>(TokenKind.class);
        jdbc.query("SELECT kind, " + STATUS + " AS computed_status, count(*) AS n FROM token_view GROUP BY 1, 2",
                params, rs -> {
                    counts.computeIfAbsent(TokenKind.valueOf(rs.getString("kind")), k -> new EnumMap<>(TokenStatus.class))
                            .put(TokenStatus.valueOf(rs.getString("computed_status")), rs.getLong("n"));
                });
        return jdbc.queryForObject("""
                SELECT count(*) FILTER (WHERE expires_at <= :in7) AS in7, count(*) AS in30 FROM token_view
                WHERE kind = 'PERMANENT' AND status = 'ACTIVE' AND expires_at > :now AND expires_at <= :in30""",
                params, (rs, row) -> new Summary(counts, rs.getLong("in7"), rs.getLong("in30")));
    }

    @QueryHandler
    public Optional<TokenView> find(FindToken query) {
        return view(query.tokenId().value());
    }

    /** The addresses a token was used from, most recently used first, at most {@link TokenUsageRecorder#ADDRESSES_KEPT}. */
    public java.util.List<TokenAddressView> addresses(UUID id) {
        return jdbc.query("""
                        SELECT ip, user_agent, client, first_seen_at, last_seen_at, use_count FROM token_address
                        WHERE token_id = :id ORDER BY last_seen_at DESC, first_seen_at DESC LIMIT :kept""",
                new org.springframework.jdbc.core.namedparam.MapSqlParameterSource("id", id)
                        .addValue("kept", TokenUsageRecorder.ADDRESSES_KEPT),
                (rs, row) -> new TokenAddressView(rs.getString("ip"), emptyToNull(rs.getString("user_agent")),
                        emptyToNull(rs.getString("client")), rs.getTimestamp("first_seen_at").toInstant(),
                        rs.getTimestamp("last_seen_at").toInstant(), rs.getLong("use_count")));
    }

    private static String emptyToNull(String text) {
        return text == null || text.isEmpty() ? null : text;
    }

    public Optional<TokenView> view(UUID id) {
        return jdbc.query("SELECT *, " + STATUS + " AS computed_status FROM " + INVENTORY + " WHERE id = :id",
                new MapSqlParameterSource("id", id).addValue("now", Timestamp.from(Instant.now())),
                TokenQueries::map).stream().findFirst();
    }

    /** A page of tokens; the pageable's sort properties are columns from {@link #SORTABLE}. */
    public PageResult<TokenView> list(Filter filter, Pageable pageable) {
        int page = pageable.getPageNumber();
        int size = pageable.getPageSize();
        MapSqlParameterSource params = new MapSqlParameterSource("now", Timestamp.from(Instant.now()));
        List<String> where = new ArrayList<>();
        if (filter.status() != null) {
            where.add(STATUS + " = :status");
            params.addValue("status", filter.status().name());
        }
        if (filter.expiresBefore() != null) {
            where.add("expires_at < :expiresBefore");
            params.addValue("expiresBefore", Timestamp.from(filter.expiresBefore()));
        }
        select(filter.selection(), where, params);
        String condition = where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where);
        Long total = jdbc.queryForObject("SELECT count(*) FROM token_view" + condition, params, Long.class);
        params.addValue("limit", size).addValue("offset", (long) page * size);
        List<TokenView> items = jdbc.query("SELECT * FROM (SELECT *, " + STATUS + " AS computed_status FROM "
                + INVENTORY + condition + ") t ORDER BY " + order(pageable.getSort()) + " LIMIT :limit OFFSET :offset",
                params, TokenQueries::map);
        return new PageResult<>(items, page, size, total == null ? 0 : total);
    }

    /**
     * The working tokens (active, or rotating within their grace, as a read now shows them) a selection matches,
     * newest first: how many, a sample, and their ids if asked for. A bulk revoke's preview and the start of its job
     * both ask this.
     */
    @QueryHandler
    public ActiveTokens find(FindActiveTokens query) {
        MapSqlParameterSource params = new MapSqlParameterSource("now", Timestamp.from(Instant.now()));
        // a rotating token still works until its grace ends: an incident's bulk revoke must reach it too
        List<String> where = new ArrayList<>(List.of(
                "(status = 'ACTIVE' OR (status = 'ROTATING' AND grace_ends_at > :now))", "expires_at > :now"));
        select(query.selection(), where, params);
        String condition = " WHERE " + String.join(" AND ", where);
        Long matched = jdbc.queryForObject("SELECT count(*) FROM token_view" + condition, params, Long.class);
        params.addValue("limit", query.sampleSize());
        List<TokenView> sample = query.sampleSize() <= 0 ? List.of() : jdbc.query("SELECT *, " + STATUS
                + " AS computed_status FROM " + INVENTORY + condition + " ORDER BY created_at DESC, id LIMIT :limit",
                params, TokenQueries::map);
        List<TokenId> ids = !query.withIds() ? List.of() : jdbc.query("SELECT id FROM token_view" + condition
                + " ORDER BY created_at, id", params, (rs, row) -> new TokenId(rs.getObject("id", UUID.class)));
        return new ActiveTokens(matched == null ? 0 : matched, sample, ids);
    }

    /** Adds the conditions of a selection; they read the columns of {@code token_view} only, and its {@code id}. */
    private static void select(TokenSelection selection, List<String> where, MapSqlParameterSource params) {
        if (selection.userId() != null) {
            where.add("user_id = :userId");
            params.addValue("userId", selection.userId());
        }
        if (selection.kind() != null) {
            where.add("kind = :kind");
            params.addValue("kind", selection.kind().name());
        }
        if (selection.q() != null) {
            where.add(TextSearch.contains("name", "q"));
            params.addValue("q", TextSearch.containing(selection.q()));
        }
        if (selection.scope() != null) {
            where.add("scopes @> ARRAY[:scope]::text[]");
            params.addValue("scope", selection.scope());
        }
        if (selection.tag() != null) {
            where.add("tags @> ARRAY[:tag]::text[]");
            params.addValue("tag", selection.tag());
        }
        if (selection.createdBefore() != null) {
            where.add("created_at < :createdBefore");
            params.addValue("createdBefore", Timestamp.from(selection.createdBefore()));
        }
        if (selection.unusedForDays() != null) {
            // Not used since then: created by then, and no use recorded after it (token_usage has no column id).
            where.add("created_at <= :unusedSince AND NOT EXISTS (SELECT 1 FROM token_usage tu "
                    + "WHERE tu.token_id = id AND tu.last_used_at > :unusedSince)");
            params.addValue("unusedSince", Timestamp.from(Instant.now().minus(Duration.ofDays(selection.unusedForDays()))));
        }
    }

    private static String order(Sort sort) {
        StringBuilder order = new StringBuilder();
        for (Sort.Order o : sort) {
            order.append(o.getProperty()).append(o.isAscending() ? " ASC" : " DESC").append(" NULLS LAST, ");
        }
        return order.append(sort.isSorted() ? "id" : "created_at DESC, id").toString();
    }

    private static TokenView map(ResultSet rs, int row) throws SQLException {
        return new TokenView(rs.getString("id"), TokenKind.valueOf(rs.getString("kind")), rs.getString("name"),
                rs.getString("hint"), rs.getString("user_id"), rs.getString("username"), instant(rs, "created_at"),
                rs.getString("created_by"), instant(rs, "last_used_at"), rs.getString("last_used_ip"),
                instant(rs, "expires_at"), TokenStatus.valueOf(rs.getString("computed_status")),
                instant(rs, "revoked_at"), rs.getString("revoked_by"), rs.getString("revoke_reason"),
                rs.getString("replaced_by"), scopes(rs), rs.getString("last_used_client"), rs.getString("replaced_by"),
                instant(rs, "grace_ends_at"), rs.getString("description"), tags(rs));
    }

    private static List<String> tags(ResultSet rs) throws SQLException {
        java.sql.Array array = rs.getArray("tags");
        return array == null ? List.of() : List.of((String[]) array.getArray());
    }

    private static List<String> scopes(ResultSet rs) throws SQLException {
        java.sql.Array array = rs.getArray("scopes");
        return array == null ? Scopes.DEFAULT : List.of((String[]) array.getArray());
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
