package io.tokenledger.query.audit;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Everything under {@code tokenledger.syslog}: forwarding the audit log, security events included, to a syslog
 * server (RFC 5424 messages over TCP with octet counting, RFC 6587, optionally TLS, RFC 5425).
 *
 * @param enabled           forward at all
 * @param host              the syslog server
 * @param port              its port (6514 is syslog over TLS, 601 or 514 plain TCP by custom)
 * @param tls               connect with TLS (the JVM's trust store verifies the server, and its name is checked)
 * @param hostname          the HOSTNAME field; empty: this machine's name
 * @param appName           the APP-NAME field
 * @param facility          the facility of every message (13: log audit)
 * @param connectTimeout    longest wait for a connection
 * @param resendOnReconnect messages sent over a connection that broke which are sent again over the next one, as
 *                          plain TCP syslog has no acknowledgement and the last of them may have been lost with it
 * @param trustStore        a PKCS12 trust store that verifies the server's certificate; empty: the JVM's
 * @param trustStorePassword its password
 */
@ConfigurationProperties("tokenledger.syslog")
public record SyslogProperties(
        @DefaultValue("false") boolean enabled,
        @DefaultValue("localhost") String host,
        @DefaultValue("6514") int port,
        @DefaultValue("true") boolean tls,
        @DefaultValue("") String hostname,
        @DefaultValue("tokenledger") String appName,
        @DefaultValue("13") int facility,
        @DefaultValue("5s") Duration connectTimeout,
        @DefaultValue("1000") int resendOnReconnect,
        @DefaultValue("") String trustStore,
        @DefaultValue("") String trustStorePassword) {

    public SyslogProperties {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("tokenledger.syslog.port must be 1-65535");
        }
        if (facility < 0 || facility > 23) {
            throw new IllegalArgumentException("tokenledger.syslog.facility must be 0-23");
        }
        if (resendOnReconnect < 0) {
            throw new IllegalArgumentException("tokenledger.syslog.resend-on-reconnect must be 0 or more");
        }
    }
}
