package io.tokenledger.app.embedded;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.tokenledger.app.config.TokenLedgerProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;
import org.apache.commons.logging.Log;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;

/**
 * The embedded default's SMTP capture: when no {@code spring.mail.host} is configured, starts GreenMail on
 * 127.0.0.1 ({@code tokenledger.embedded-smtp.port}, default 3025) and points Spring Mail at it. One per JVM.
 */
public class EmbeddedSmtpStarter implements EnvironmentPostProcessor, Ordered {
    private static GreenMail running;

    private final Log log;

    public EmbeddedSmtpStarter(DeferredLogFactory logs) {
        this.log = logs.getLog(EmbeddedSmtpStarter.class);
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    /** The running capture, if this JVM started one. */
    public static synchronized GreenMail running() {
        return running;
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
        TokenLedgerProperties.EmbeddedSmtp settings = TokenLedgerProperties.bind(env).embeddedSmtp();
        if (StringUtils.hasText(env.getProperty("spring.mail.host")) || !settings.enabled()) {
            return;
        }
        int port = start(settings.port());
        Map<String, Object> props = new HashMap<>();
        props.put("spring.mail.host", "127.0.0.1");
        props.put("spring.mail.port", port);
        env.getPropertySources().addFirst(new MapPropertySource("embeddedSmtp", props));
    }

    private synchronized int start(int port) {
        if (running == null) {
            int chosen = port == 0 ? freePort() : port;
            GreenMail mail = new GreenMail(new ServerSetup(chosen, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
            mail.start();
            SpringApplication.getShutdownHandlers().add(mail::stop);
            log.warn("""

                    ==================================================================
                      EMBEDDED SMTP CAPTURE on 127.0.0.1:%d: for trying Token Ledger out.
                      Expiry e-mails are kept in this process's memory and reach no one.
                      Set SPRING_MAIL_HOST and SPRING_MAIL_PORT (and .username,
                      .password) to send them (README, Deployment; the prod profile
                      requires it).
                    ==================================================================""".formatted(chosen));
            running = mail;
        }
        return running.getSmtp().getPort();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
