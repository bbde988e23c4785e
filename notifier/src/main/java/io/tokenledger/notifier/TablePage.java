package io.tokenledger.notifier;

import io.tokenledger.api.PageParams;
import io.tokenledger.api.PageResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * One page of a notifier table: equality filters joined by AND, an optional sort on one of the table's public
 * sort fields, then the table's own order.
 *
 * @param sortable     public sort field → column
 * @param defaultOrder the order after the chosen sort, e.g. {@code raised_at DESC, id}
 */
public record TablePage(String table, Map<String, String> sortable, String defaultOrder) {

    /** Filter conditions ({@code column = :name}) and their parameters, added as they apply. */
    public static final class Where {
        private final List<String> conditions = new ArrayList<>();
        private final MapSqlParameterSource params = new MapSqlParameterSource();

        /** Adds {@code condition} with its parameter when {@code value} is not null. */
        public Where and(String condition, String name, Object value) {
            if (value != null) {
                conditions.add(condition);
                params.addValue(name, value);
            }
            return this;
        }
    }

    /** Reads the page. */
    public <T> PageResult<T> read(NamedParameterJdbcTemplate jdbc, Where where, PageParams page, RowMapper<T> rows) {
        String condition = where.conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", where.conditions);
        Long total = jdbc.queryForObject("SELECT count(*) FROM " + table + condition, where.params, Long.class);
        String order = page.sortField() == null ? ""
                : sortable.get(page.sortField()) + (page.ascending() ? " ASC" : " DESC") + " NULLS LAST, ";
        MapSqlParameterSource params = new MapSqlParameterSource(where.params.getValues())
                .addValue("limit", page.size()).addValue("offset", page.offset());
        List<T> items = jdbc.query("SELECT * FROM " + table + condition + " ORDER BY " + order + defaultOrder
                + " LIMIT :limit OFFSET :offset", params, rows);
        return new PageResult<>(items, page.page(), page.size(), total == null ? 0 : total);
    }
}
