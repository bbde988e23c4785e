package io.tokenledger.app;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Instances of the application that a test starts and stops itself, beside the shared test context: the test
 * profile, a free port, and the given command-line arguments (a data directory, roles, ...).
 */
public final class Instances {

    private Instances() {
    }

    /** Starts an instance with these arguments. */
    public static ConfigurableApplicationContext start(String... args) {
        return start(new Class<?>[0], args);
    }

    /** Starts an instance with extra configuration sources beside the application's own. */
    public static ConfigurableApplicationContext start(Class<?>[] sources, String... args) {
        Class<?>[] all = new Class<?>[sources.length + 1];
        all[0] = TokenLedgerApplication.class;
        System.arraycopy(sources, 0, all, 1, sources.length);
        String[] withPort = new String[args.length + 1];
        withPort[0] = "--server.port=0";
        System.arraycopy(args, 0, withPort, 1, args.length);
        return new SpringApplicationBuilder(all).profiles("test").run(withPort);
    }

    /** The instance's port. */
    public static int port(ConfigurableApplicationContext instance) {
        return ((WebServerApplicationContext) instance).getWebServer().getPort();
    }

    /** An HTTP client of the instance. */
    public static Api api(ConfigurableApplicationContext instance) {
        return new Api(port(instance));
    }
}
