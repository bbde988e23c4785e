package io.tokenledger.app;

import java.sql.Array;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Read model rows as tests compare them: an array column (a token's scopes) as a list, which compares by value. */
public final class Rows {

    private Rows() {
    }

    public static Map<String, Object> comparable(Map<String, Object> row) {
        Map<String, Object> out = new LinkedHashMap<>();
        row.forEach((column, value) -> {
            if (value instanceof Array array) {
                try {
                    out.put(column, Arrays.asList((Object[]) array.getArray()));
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            } else {
                out.put(column, value);
            }
        });
        return out;
    }

    public static List<Map<String, Object>> comparable(List<Map<String, Object>> rows) {
        return rows.stream().map(Rows::comparable).toList();
    }
}
