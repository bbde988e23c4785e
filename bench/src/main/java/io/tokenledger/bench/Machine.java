package io.tokenledger.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/** The facts that make a run's figures comparable: when, on what machine, with which JVM. */
final class Machine {
    private Machine() {
    }

    static void describe(Results results, boolean smoke) {
        results.fact("date", Instant.now().toString());
        results.fact("mode", smoke ? "smoke" : "full");
        results.fact("cores", Runtime.getRuntime().availableProcessors());
        results.fact("cpu", firstValue(Path.of("/proc/cpuinfo"), "model name"));
        results.fact("memory", firstValue(Path.of("/proc/meminfo"), "MemTotal"));
        results.fact("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        results.fact("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    }

    private static String firstValue(Path file, String key) {
        try {
            return Files.readAllLines(file).stream().filter(l -> l.startsWith(key))
                    .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
