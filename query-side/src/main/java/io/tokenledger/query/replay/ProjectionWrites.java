package io.tokenledger.query.replay;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Where a projection's statements go: straight to its live tables, or batched into its replay tables. A
 * projection writes each statement once, naming its tables in braces ({@code UPDATE {token_view} SET …}), so
 * the live handlers and a rebuild run the very same SQL.
 */
public interface ProjectionWrites {
    /** Runs (or queues) one statement; table names in braces are resolved to the target's tables. */
    void update(String sql, Object... args);

    /** Writes to the live tables at once, in the caller's transaction. */
    static ProjectionWrites live(JdbcTemplate jdbc) {
        return (sql, args) -> jdbc.update(TableNames.LIVE.resolve(sql), args);
    }

    /** Resolves the braced table names of a statement, remembering each statement's resolved form. */
    enum TableNames {
        LIVE(""), REPLAY("_replay");

        private static final Pattern TABLE = Pattern.compile("\\{([a-z_]+)}");
        private final String suffix;
        private final Map<String, String> resolved = new ConcurrentHashMap<>();

        TableNames(String suffix) {
            this.suffix = suffix;
        }

        String resolve(String sql) {
            return resolved.computeIfAbsent(sql, s -> {
                Matcher table = TABLE.matcher(s);
                return table.replaceAll(m -> m.group(1) + suffix);
            });
        }

        /** The name of a live table in this set. */
        public String table(String live) {
            return live + suffix;
        }
    }
}
