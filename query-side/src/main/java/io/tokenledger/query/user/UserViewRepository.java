package io.tokenledger.query.user;

import io.tokenledger.api.user.Role;
import io.tokenledger.api.user.UserKind;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageImpl;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/** Users as the read side knows them: rows of {@code user_view}. */
@Repository
public class UserViewRepository {
    private static final String SELECT = """
            SELECT id, username, email, display_name, role, enabled, password_hash, kind, password_version,
                   password_change_required, created_at FROM user_view""";

    private final NamedParameterJdbcTemplate jdbc;

    UserViewRepository(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<UserView> findById(UUID id) {
        return jdbc.query(SELECT + " WHERE id = :id", Map.of("id", id), UserViewRepository::map).stream().findFirst();
    }

    /** The user of a canonical username ({@link io.tokenledger.api.user.Usernames}), by which a login finds it. */
    public Optional<UserView> findByUsernameKey(String usernameKey) {
        return jdbc.query(SELECT + " WHERE username_key = :key", Map.of("key", usernameKey), UserViewRepository::map)
                .stream().findFirst();
    }

    /**
     * A page of the users whose canonical username contains {@code fragment} (all of them when it is null), in the
     * pageable's order (its properties are columns from {@link UserQueries#SORTABLE}), then by id.
     */
    public Page<UserView> page(String fragment, Pageable pageable) {
        MapSqlParameterSource params = new MapSqlParameterSource();
        String where = "";
        if (fragment != null) {
            where = " WHERE strpos(username_key, :fragment) > 0";
            params.addValue("fragment", fragment);
        }
        Long total = jdbc.queryForObject("SELECT count(*) FROM user_view" + where, params, Long.class);
        params.addValue("limit", pageable.getPageSize()).addValue("offset", pageable.getOffset());
        List<UserView> users = jdbc.query(SELECT + where + " ORDER BY " + order(pageable.getSort())
                + " LIMIT :limit OFFSET :offset", params, UserViewRepository::map);
        return new PageImpl<>(users, pageable, total == null ? 0 : total);
    }

    private static String order(Sort sort) {
        StringBuilder order = new StringBuilder();
        for (Sort.Order o : sort) {
            if (!UserQueries.SORTABLE.containsValue(o.getProperty())) {
                throw new IllegalArgumentException("users are not sorted by " + o.getProperty());
            }
            order.append(o.getProperty()).append(o.isAscending() ? " ASC, " : " DESC, ");
        }
        return order.append("id").toString();
    }

    private static UserView map(ResultSet rs, int row) throws SQLException {
        return new UserView(rs.getObject("id", UUID.class), rs.getString("username"), rs.getString("email"),
                rs.getString("display_name"), Role.valueOf(rs.getString("role")), rs.getBoolean("enabled"),
                rs.getString("password_hash"), UserKind.valueOf(rs.getString("kind")), rs.getLong("password_version"),
                rs.getBoolean("password_change_required"), rs.getTimestamp("created_at").toInstant());
    }
}
