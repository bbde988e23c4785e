package io.tokenledger.app.reliability;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a reliability test measured (requests held, faults survived, inputs tried, duplicates found), written to
 * {@code target/reliability/<name>.json} for docs/reliability.md, and printed.
 */
public final class Figures {
    public static final Path DIR = Path.of("target", "reliability");
    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules()
            .enable(SerializationFeature.INDENT_OUTPUT);

    private Figures() {
    }

    /** The file a test's figures go to. */
    public static Path file(String name) {
        return DIR.resolve(name + ".json");
    }

    /** Writes the figures as JSON and prints them. */
    public static void write(String name, Map<String, ?> figures) {
        try {
            Files.createDirectories(DIR);
            String json = JSON.writeValueAsString(figures);
            Files.writeString(file(name), json + "\n");
            System.out.println(name + ": " + json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
