package io.tokenledger.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Runs every benchmark in one go against the runnable jar on the embedded default, each measure beside the raw
 * limit of the same PostgreSQL measured in the same run; prints a table and writes JSON.
 *
 * <pre>
 * bench/run [--smoke] [--jfr] [--only=startup,auth,introspection,census,commands,replay,deadlines,webhooks,bulk-revoke,inactivity] [--out=file.json] [--jar=path]
 *           [--replay.events=1000000] [--deadline.tokens=100000] [--deadline.due=10000]
 *           [--census.commands=200] [--census.idle=20]
 * </pre>
 * {@code --jfr} records the application under load with Java Flight Recorder ({@code app.jfr} in the run's
 * directory), for {@code jfr print} or JDK Mission Control.
 */
public final class Bench {

    /** The scenarios of a run, in order. */
    static List<Scenario> scenarios(boolean smoke) {
        return List.of(new AuthBenchmark(), new IntrospectionBenchmark(), new CensusBenchmark(), new CommandBenchmark(),
                new DeadlineBenchmark(), new ReplayBenchmark(), new WebhookBenchmark(), new BulkRevokeBenchmark(),
                new InactivityBenchmark());
    }

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        boolean smoke = false;
        boolean jfr = false;
        Set<String> only = new LinkedHashSet<>();
        Path jar = Path.of("app", "target", "tokenledger.jar");
        Path out = null;
        for (String arg : args) {
            if (arg.equals("--smoke")) {
                smoke = true;
            } else if (arg.equals("--jfr")) {
                jfr = true;
            } else if (arg.startsWith("--only=")) {
                only.addAll(Arrays.asList(arg.substring(7).split(",")));
            } else if (arg.startsWith("--jar=")) {
                jar = Path.of(arg.substring(6));
            } else if (arg.startsWith("--out=")) {
                out = Path.of(arg.substring(6));
            } else if (arg.matches("--(replay\\.events|deadline\\.tokens|deadline\\.due|census\\.commands"
                    + "|census\\.idle|webhook\\.endpoints|webhook\\.tokens|inactivity\\.tokens|inactivity\\.due)=\\d+")) {
                System.setProperty("bench." + arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
            } else {
                System.err.println("usage: bench/run [--smoke] [--jfr]"
                        + " [--only=startup,auth,introspection,census,commands,replay,deadlines,webhooks,bulk-revoke,inactivity] [--out=file.json] [--jar=path]"
                        + " [--replay.events=N] [--deadline.tokens=N] [--deadline.due=N] [--census.commands=N]"
                        + " [--census.idle=seconds]");
                System.exit(2);
            }
        }
        Results results = run(jar, smoke, jfr, only);
        if (out == null) {
            out = target().resolve("bench-results.json");
        }
        results.write(out);
        System.out.println();
        System.out.println(results.table());
        System.out.println(results.summary());
        System.out.println("PostgreSQL synchronous_commit: " + results.facts().get("synchronousCommit")
                + " (the server's setting, for the application and the raw limits alike)");
        System.out.println("written to " + out);
    }

    /** One run; the figures are also returned for the smoke test. */
    public static Results run(Path jar, boolean smoke, boolean jfr, Set<String> only) throws Exception {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar.toAbsolutePath() + " is missing: build it first (mvn -B package"
                    + " -DskipTests)");
        }
        jar = jar.toAbsolutePath().normalize();
        Path extension = anonymousReadsJar();
        Path work = target().resolve("run-" + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC)
                        .format(Instant.now()));
        Results results = new Results();
        Machine.describe(results, smoke);
        Path data = work.resolve("data");
        System.out.println("Token Ledger benchmark" + (smoke ? " (smoke)" : "") + ": data and logs in " + work);

        boolean all = only.isEmpty();
        if (all || only.contains("startup")) {
            try (Server first = Server.start(jar, data, null, List.of())) {
                results.value("startup", "first start to healthy (new data dir)", seconds(first.startUp()), "s");
                Thread.sleep(smoke ? 1_000 : 10_000);
                long[] rss = first.residentKiB();
                results.value("memory", "application RSS, idle after start", rss[0] / 1024.0, "MiB");
                results.value("memory", "PostgreSQL PSS, idle", first.postgresPssKiB() / 1024.0, "MiB");
            }
        }
        List<String> failed = new ArrayList<>();
        List<String> jvm = new ArrayList<>();
        // For the census: the embedded PostgreSQL loads pg_stat_statements (the plain start above does not).
        jvm.add("-Dtokenledger.embedded-postgres.preload=pg_stat_statements");
        if (jfr) {
            jvm.add("-XX:FlightRecorderOptions=stackdepth=512");
            jvm.add("-XX:StartFlightRecording=settings=profile,filename=" + work.resolve("app.jfr"));
        }
        // Webhooks go to a receiver on this machine, over plain HTTP.
        try (Server server = Server.start(jar, data, extension, jvm, "--tokenledger.webhooks.allow-http=true",
                "--tokenledger.webhooks.allow-private-addresses=true")) {
            if (all || only.contains("startup")) {
                results.value("startup", "restart to healthy (existing data)", seconds(server.startUp()), "s");
            }
            Context context = new Context(server, results, smoke);
            // The raw limits' connections set nothing: they commit as the application's do, with the server's
            // synchronous_commit, so that a raw limit is what the same durability costs.
            String synchronousCommit = context.setting("synchronous_commit");
            results.fact("synchronousCommit", synchronousCommit);
            System.out.println("PostgreSQL synchronous_commit = " + synchronousCommit + ", fsync = "
                    + context.setting("fsync"));
            Duration warmUp = Duration.ofSeconds(smoke ? 2 : 45);
            System.out.println("== warm-up (" + warmUp.toSeconds() + " s of creating, using and revoking tokens)");
            WarmUp.run(context, warmUp);
            results.fact("warmUpSeconds", warmUp.toSeconds());
            for (Scenario scenario : scenarios(smoke)) {
                if (!all && !only.contains(scenario.name())) {
                    continue;
                }
                System.out.println("== " + scenario.name());
                try {
                    scenario.run(context);
                } catch (Exception | AssertionError e) {
                    e.printStackTrace();
                    failed.add(scenario.name() + ": " + e);
                }
            }
            long[] rss = server.residentKiB();
            results.value("memory", "application RSS after the run", rss[0] / 1024.0, "MiB");
            results.value("memory", "application RSS peak (VmHWM)", rss[1] / 1024.0, "MiB");
            results.value("memory", "PostgreSQL PSS after the run", server.postgresPssKiB() / 1024.0, "MiB");
        }
        if (!failed.isEmpty()) {
            throw new IllegalStateException("scenarios failed: " + failed.stream().collect(Collectors.joining("; ")));
        }
        return results;
    }

    /**
     * This module's build directory ({@code bench/target}), found from where its classes are, wherever the measured
     * jar is ({@code --jar} may name one built elsewhere, such as a previous release's).
     */
    static Path target() {
        try {
            return Path.of(Bench.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The anonymous-reads extension built beside this module's classes. */
    private static Path anonymousReadsJar() throws Exception {
        Path target = target();
        try (var files = Files.list(target)) {
            return files.filter(p -> p.getFileName().toString().endsWith("-anonymous-reads.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no *-anonymous-reads.jar in " + target
                            + ": build the bench module first (mvn -B package -DskipTests)"));
        }
    }

    static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }
}
