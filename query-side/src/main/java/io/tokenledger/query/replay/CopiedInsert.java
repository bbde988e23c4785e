package io.tokenledger.query.replay;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postgresql.PGConnection;

/**
 * A rebuild's many rows of one INSERT, sent as {@code COPY} into a temporary table and one
 * {@code INSERT … SELECT} from it with the statement's own conflict clause, instead of a statement per row: the
 * same rows, the same rule, a third of PostgreSQL's work per row (docs/performance.md). Only for
 * {@code INSERT INTO t (columns) VALUES (…) [ON CONFLICT …]} whose values are each a parameter or a constant, with
 * arguments of the types {@link #encode} writes; any other statement is sent as a JDBC batch.
 *
 * <p>The caller makes sure no two rows of one statement touch one row of the table (an {@code INSERT … SELECT},
 * like a multi-row {@code VALUES}, may not update a row twice), as {@link ReplayBatch} does by key.
 */
final class CopiedInsert {
    private static final Pattern INSERT = Pattern.compile(
            "\\s*INSERT\\s+INTO\\s+([a-z_]+)\\s*\\(([^)]*)\\)\\s*VALUES\\s*\\((.*?)\\)\\s*(ON\\s+CONFLICT\\s.*)?",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Map<String, Optional<CopiedInsert>> PARSED = new ConcurrentHashMap<>();
    private static final ZoneId ZONE = ZoneId.systemDefault();
    private static final String STAGING = "replay_rows";

    private final String table;
    /** The columns given a parameter, in the order of the arguments. */
    private final List<String> parameterColumns;
    private final String insertSelect;

    private CopiedInsert(String table, List<String> parameterColumns, String insertSelect) {
        this.table = table;
        this.parameterColumns = parameterColumns;
        this.insertSelect = insertSelect;
    }

    /** The statement's copied form, or empty if it is not an INSERT of that shape. */
    static Optional<CopiedInsert> of(String sql) {
        return PARSED.computeIfAbsent(sql, CopiedInsert::parse);
    }

    private static Optional<CopiedInsert> parse(String sql) {
        Matcher insert = INSERT.matcher(sql);
        if (!insert.matches()) {
            return Optional.empty();
        }
        String conflict = insert.group(4) == null ? "" : " " + insert.group(4).strip();
        List<String> columns = split(insert.group(2));
        List<String> values = split(insert.group(3));
        if (columns == null || values == null || columns.size() != values.size() || parameters(conflict) != 0) {
            return Optional.empty();
        }
        List<String> parameterColumns = new ArrayList<>();
        List<String> selected = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            String value = values.get(i);
            if (value.equals("?")) {
                parameterColumns.add(columns.get(i));
            } else if (parameters(value) != 0) {
                return Optional.empty(); // a parameter inside an expression: its type is not the column's
            }
            selected.add(value.equals("?") ? columns.get(i) : value);
        }
        String table = insert.group(1);
        return Optional.of(new CopiedInsert(table, parameterColumns, "INSERT INTO " + table + " ("
                + String.join(", ", columns) + ") SELECT " + String.join(", ", selected) + " FROM " + STAGING + conflict));
    }

    /**
     * Inserts the rows (each the statement's arguments, keys unwrapped) in the connection's transaction, through a
     * temporary table dropped again at once.
     *
     * @return false, having sent nothing, if an argument is of a type not written here
     */
    boolean insert(Connection connection, List<Object[]> rows) throws SQLException {
        if (connection.getAutoCommit() || !connection.isWrapperFor(PGConnection.class)) {
            return false;
        }
        byte[] copied = copyText(rows);
        if (copied == null) {
            return false;
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TEMPORARY TABLE " + STAGING + " ON COMMIT DROP AS SELECT "
                    + String.join(", ", parameterColumns) + " FROM " + table + " WITH NO DATA");
            connection.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + STAGING + " FROM STDIN",
                    new ByteArrayInputStream(copied));
            statement.executeUpdate(insertSelect);
            statement.execute("DROP TABLE " + STAGING);
        } catch (IOException e) {
            throw new SQLException("copying the rows of " + table, e);
        }
        return true;
    }

    /** The rows in COPY's text format, or null if one holds a value of a type not written here. */
    private byte[] copyText(List<Object[]> rows) {
        StringBuilder text = new StringBuilder(rows.size() * 160);
        for (Object[] row : rows) {
            if (row.length != parameterColumns.size()) {
                return null;
            }
            for (int i = 0; i < row.length; i++) {
                if (i > 0) {
                    text.append('\t');
                }
                if (!encode(row[i], text)) {
                    return null;
                }
            }
            text.append('\n');
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Writes a value as the driver would bind it, in COPY's text format: a timestamp as its local date and time
     * with the JVM's offset (so a {@code timestamp with time zone} column gets its instant, and one without gets
     * the JVM's local time, as the driver's {@code setTimestamp} gives both).
     */
    private static boolean encode(Object value, StringBuilder text) {
        if (value == null) {
            text.append("\\N");
        } else if (value instanceof String s) {
            escape(s, text);
        } else if (value instanceof UUID || value instanceof Integer || value instanceof Long
                || value instanceof Short) {
            text.append(value);
        } else if (value instanceof Boolean b) {
            text.append(b ? 't' : 'f');
        } else if (value instanceof Timestamp t) {
            // rounded to microseconds as the driver rounds them
            text.append(OffsetDateTime.ofInstant(t.toInstant().plusNanos(500).truncatedTo(ChronoUnit.MICROS), ZONE));
        } else if (value instanceof String[] array) {
            StringBuilder literal = new StringBuilder("{");
            for (int i = 0; i < array.length; i++) {
                if (array[i] == null) {
                    return false;
                }
                literal.append(i == 0 ? "\"" : ",\"");
                for (char c : array[i].toCharArray()) {
                    if (c == '"' || c == '\\') {
                        literal.append('\\');
                    }
                    literal.append(c);
                }
                literal.append('"');
            }
            escape(literal.append('}').toString(), text);
        } else if (value instanceof byte[] bytes) {
            text.append("\\\\x").append(HexFormat.of().formatHex(bytes));
        } else {
            return false;
        }
        return true;
    }

    private static void escape(String s, StringBuilder text) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> text.append("\\\\");
                case '\t' -> text.append("\\t");
                case '\n' -> text.append("\\n");
                case '\r' -> text.append("\\r");
                default -> text.append(c);
            }
        }
    }

    /** The comma-separated items of a list, split outside parentheses and quotes; null if it cannot tell. */
    private static List<String> split(String list) {
        List<String> items = new ArrayList<>();
        int depth = 0;
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < list.length(); i++) {
            char c = list.charAt(i);
            if (c == '\'') {
                quoted = !quoted;
            } else if (!quoted && c == '(') {
                depth++;
            } else if (!quoted && c == ')') {
                depth--;
            } else if (!quoted && depth == 0 && c == ',') {
                items.add(list.substring(start, i).strip());
                start = i + 1;
            }
        }
        if (quoted || depth != 0) {
            return null;
        }
        items.add(list.substring(start).strip());
        return items;
    }

    /** Parameters outside quotes. */
    private static int parameters(String sql) {
        int count = 0;
        boolean quoted = false;
        for (char c : sql.toCharArray()) {
            if (c == '\'') {
                quoted = !quoted;
            } else if (c == '?' && !quoted) {
                count++;
            }
        }
        return count;
    }
}
