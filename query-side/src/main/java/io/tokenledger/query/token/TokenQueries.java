package io.tokenledger.query.token;

import io.tokenledger.api.token.FindToken;
import io.tokenledger.api.token.Scopes;
import io.tokenledger.api.token.TokenKind;
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
 * Reads of the token inventory. Status is computed at read time: an ACTIVE token past its expiry reads as
 * EXPIRED even before its deadline has fired.
 */
@Component
public class TokenQueries {
    /** The processing group of the projection these queries read. */
    public static final String PROJECTION = "token-inventory";
    private static final String STATUS = "CASE WHEN status = 'ACTIVE' AND expires_at <= :now THEN 'EXPIRED' ELSE status END";
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

    /** Filters of a token list; null means "any". */
    public record Filter(TokenStatus status, UUID userId, TokenKind kind, String q, Instant expiresBefore,
                         String scope) {
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
        if (filter.userId() != null) {
            where.add("user_id = :userId");
            params.addValue("userId", filter.userId());
        }
        if (filter.kind() != null) {
            where.add("kind = :kind");
            params.addValue("kind", filter.kind().name());
        }
        if (filter.q() != null && !filter.q().isBlank()) {
            where.add(TextSearch.contains("name", "q"));
            params.addValue("q", TextSearch.containing(filter.q()));
        }
        if (filter.expiresBefore() != null) {
            where.add("expires_at < :expiresBefore");
            params.addValue("expiresBefore", Timestamp.from(filter.expiresBefore()));
        }
        if (filter.scope() != null && !filter.scope().isBlank()) {
            where.add("scopes @> ARRAY[:scope]::text[]");
            params.addValue("scope", filter.scope());
        }
        String condition = where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where);
        Long total = jdbc.queryForObject("SELECT count(*) FROM token_view" + condition, params, Long.class);
        params.addValue("limit", size).addValue("offset", (long) page * size);
        List<TokenView> items = jdbc.query("SELECT * FROM (SELECT *, " + STATUS + " AS computed_status FROM "
                + INVENTORY + condition + ") t ORDER BY " + order(pageable.getSort()) + " LIMIT :limit OFFSET :offset",
                params, TokenQueries::map);
        return new PageResult<>(items, page, size, total == null ? 0 : total);
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
                rs.getString("replaced_by"), scopes(rs), rs.getString("last_used_client"));
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
