package io.tokenledger.app.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a reliability test measured (requests held, faults survived, inputs tried, duplicates found), written to
 * {@code target/reliability/<name>.json} for docs/reliability.md, and printed.
 */
public final class Figures {
    public static final Path DIR = Path.of("target", "reliability");

    private Figures() {
    }

    /** Writes the figures as one flat JSON object: numbers as they are, anything else as a string. */
    public static void write(String name, Map<String, ?> figures) {
        String json = figures.entrySet().stream()
                .map(e -> quote(e.getKey()) + ": " + (e.getValue() instanceof Number || e.getValue() instanceof Boolean
                        ? e.getValue().toString() : quote(String.valueOf(e.getValue()))))
                .collect(Collectors.joining(", ", "{", "}\n"));
        try {
            Files.createDirectories(DIR);
            Files.writeString(DIR.resolve(name + ".json"), json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.out.println(name + ": " + json.strip());
    }

    private static String quote(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
