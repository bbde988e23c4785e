package io.tokenledger.bench;

import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The figures of one run: each measure, the raw limit it is compared with, and the target of their ratio. */
public final class Results {

    /**
     * One measure. {@code limit} is the raw limit measured in the same run (null when the measure stands
     * alone); {@code target} is a bound on the ratio (or on the value, when there is no limit); {@code higher}
     * tells whether the bound is a minimum.
     */
    public record Row(String scenario, String measure, double value, String unit, String limitName, Double limit,
                      Double target, boolean higher) {
        public Double ratio() {
            return limit == null || limit == 0 ? null : value / limit;
        }

        public Boolean met() {
            if (target == null) {
                return null;
            }
            double compared = limit == null ? value : ratio();
            return higher ? compared >= target : compared <= target;
        }
    }

    private final List<Row> rows = new ArrayList<>();
    private final Map<String, Object> facts = new LinkedHashMap<>();

    public synchronized void add(Row row) {
        rows.add(row);
        System.out.println("  " + format(row));
    }

    /** A measure on its own. */
    public void value(String scenario, String measure, double value, String unit) {
        add(new Row(scenario, measure, value, unit, null, null, null, true));
    }

    /** A measure with a bound on its value. */
    public void bounded(String scenario, String measure, double value, String unit, double bound, boolean minimum) {
        add(new Row(scenario, measure, value, unit, null, null, bound, minimum));
    }

    /** A measure beside its raw limit, with a minimum ratio (or none). */
    public void against(String scenario, String measure, double value, String unit, String limitName, double limit,
                        Double minimumRatio) {
        add(new Row(scenario, measure, value, unit, limitName, limit, minimumRatio, true));
    }

    /** A fact about the run (machine, versions, sizes). */
    public void fact(String name, Object value) {
        facts.put(name, value);
    }

    public Map<String, Object> facts() {
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(facts));
    }

    public List<Row> rows() {
        return List.copyOf(rows);
    }

    /** The table printed at the end of a run. */
    public String table() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%-11s %-44s %14s  %-34s %14s %7s %8s%n", "scenario", "measure",
                "value", "raw limit", "limit value", "ratio", "target"));
        String last = null;
        for (Row row : rows) {
            out.append(String.format(Locale.ROOT, "%-11s %-44s %14s  %-34s %14s %7s %8s%n",
                    row.scenario().equals(last) ? "" : row.scenario(), row.measure(),
                    number(row.value()) + " " + row.unit(), row.limitName() == null ? "" : row.limitName(),
                    row.limit() == null ? "" : number(row.limit()) + " " + row.unit(),
                    row.ratio() == null ? "" : ratio(row.ratio()),
                    row.target() == null ? "" : (row.higher() ? "≥ " : "≤ ") + number(row.target())
                            + (row.met() ? " ok" : " MISS")));
            last = row.scenario();
        }
        return out.toString();
    }

    /** How many targets were met, and which were missed. */
    public String summary() {
        int judged = 0;
        List<String> missed = new ArrayList<>();
        String parent = "";
        for (Row row : rows) {
            // An indented measure belongs to the one above it ("create-token: ...", "  statements each").
            boolean indented = row.measure().startsWith(" ");
            if (!indented) {
                parent = row.measure().replaceAll("[:,].*", "");
            }
            if (row.met() != null) {
                judged++;
                if (!row.met()) {
                    missed.add(row.scenario() + " · " + (indented ? parent + ": " : "") + row.measure().strip());
                }
            }
        }
        return "targets met: " + (judged - missed.size()) + " of " + judged
                + (missed.isEmpty() ? "" : "; missed: " + String.join("; ", missed));
    }

    private static String format(Row row) {
        return row.scenario() + " · " + row.measure() + ": " + number(row.value()) + " " + row.unit()
                + (row.limit() == null ? "" : " (" + row.limitName() + " " + number(row.limit()) + " " + row.unit()
                + ", ratio " + ratio(row.ratio()) + ")");
    }

    /** Two decimals, or three significant digits for a ratio below 0.1. */
    static String ratio(double r) {
        return String.format(Locale.ROOT, Math.abs(r) >= 0.1 ? "%.2f" : "%.3g", r);
    }

    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e12) {
            return String.format(Locale.ROOT, "%,d", (long) v);
        }
        return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%,.0f", v)
                : String.format(Locale.ROOT, Math.abs(v) >= 10 ? "%.1f" : "%.2f", v);
    }

    /** Writes the facts and every row as JSON. */
    public void write(Path file) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("finishedAt", Instant.now().toString());
        json.putAll(facts);
        List<Map<String, Object>> list = new ArrayList<>();
        for (Row row : rows) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("scenario", row.scenario());
            r.put("measure", row.measure());
            r.put("value", row.value());
            r.put("unit", row.unit());
            if (row.limit() != null) {
                r.put("rawLimit", row.limitName());
                r.put("rawLimitValue", row.limit());
                r.put("ratio", row.ratio());
            }
            if (row.target() != null) {
                r.put("target", (row.higher() ? ">= " : "<= ") + row.target());
                r.put("met", row.met());
            }
            list.add(r);
        }
        json.put("results", list);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, Http.JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(json));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
