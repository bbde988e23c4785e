package io.tokenledger.notifier.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The SSRF rules: which URLs and addresses webhooks may be sent to, at registration and before each delivery. */
class DestinationsTest {
    /** A DNS of the test's own: names an attacker controls, resolving wherever the test says. */
    private final Map<String, String[]> dns = new ConcurrentHashMap<>();
    private final Destinations strict = new Destinations(false, false, this::resolve);

    private InetAddress[] resolve(String host) throws UnknownHostException {
        String[] addresses = dns.get(host);
        if (addresses == null) {
            return InetAddress.getAllByName(host); // literals and localhost: no network needed
        }
        InetAddress[] all = new InetAddress[addresses.length];
        for (int i = 0; i < addresses.length; i++) {
            all[i] = InetAddress.getByAddress(host, InetAddress.getByName(addresses[i]).getAddress());
        }
        return all;
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://127.0.0.1/hook", "https://127.1.2.3/hook", "https://[::1]/hook",
            "https://0.0.0.0/hook", "https://[::]/hook", "https://169.254.169.254/latest/meta-data/",
            "https://[fe80::1]/hook", "https://10.0.0.1/hook", "https://172.16.0.1/hook", "https://172.31.255.255/hook",
            "https://192.168.1.10/hook", "https://100.64.0.1/hook", "https://[fc00::1]/hook", "https://[fd12:3456::1]/",
            "https://[::ffff:10.0.0.1]/hook", "https://[::ffff:169.254.169.254]/hook", "https://[64:ff9b::a9fe:a9fe]/",
            "https://[2002:a9fe:a9fe::1]/hook", "https://224.0.0.1/hook", "https://255.255.255.255/hook",
            "https://localhost/hook", "https://localhost:8443/hook"})
    void loopbackLinkLocalPrivateAndReservedAddressesAreRefused(String url) {
        assertThatThrownBy(() -> strict.check(url)).isInstanceOf(Destinations.Refused.class)
                .hasMessageContaining("loopback, link-local or private");
    }

    @Test
    void aDnsNameResolvingToAPrivateOrMetadataAddressIsRefused() {
        dns.put("metadata.attacker.example", new String[] {"169.254.169.254"});
        dns.put("intranet.attacker.example", new String[] {"10.1.2.3"});
        dns.put("mixed.attacker.example", new String[] {"93.184.216.34", "192.168.0.1"});
        dns.put("loop.attacker.example", new String[] {"127.0.0.1"});
        for (String host : dns.keySet()) {
            assertThatThrownBy(() -> strict.check("https://" + host + "/hook")).as(host)
                    .isInstanceOf(Destinations.Refused.class)
                    .hasMessageContaining("resolves to");
        }
    }

    @Test
    void aNameThatResolvedPubliclyAtRegistrationButPrivatelyAtDeliveryIsRefusedThen() throws Exception {
        dns.put("rebind.attacker.example", new String[] {"93.184.216.34"});
        URI uri = strict.check("https://rebind.attacker.example/hook");
        dns.put("rebind.attacker.example", new String[] {"127.0.0.1"});
        assertThatThrownBy(() -> strict.addresses(uri)).isInstanceOf(Destinations.Refused.class)
                .hasMessageContaining("127.0.0.1");
    }

    @Test
    void publicAddressesAndNamesAreAccepted() throws Exception {
        dns.put("hooks.example.com", new String[] {"93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"});
        assertThat(strict.check("https://hooks.example.com/in?x=1")).hasHost("hooks.example.com");
        assertThat(strict.check("https://8.8.8.8/hook")).hasHost("8.8.8.8");
        assertThat(strict.check("https://[2606:4700:4700::1111]/hook")).isNotNull();
        assertThat(Destinations.isPublic(InetAddress.getByName("172.32.0.1"))).isTrue();
        assertThat(Destinations.isPublic(InetAddress.getByName("100.128.0.1"))).isTrue();
    }

    @Test
    void onlyHttpsUnlessHttpIsAllowedAndNeverCredentialsOrFragments() throws Exception {
        assertThatThrownBy(() -> strict.check("http://8.8.8.8/hook")).hasMessageContaining("only https");
        assertThatThrownBy(() -> strict.check("ftp://8.8.8.8/hook")).hasMessageContaining("only https");
        assertThatThrownBy(() -> strict.check("https://user:pw@8.8.8.8/hook")).hasMessageContaining("user name");
        assertThatThrownBy(() -> strict.check("https://8.8.8.8/hook#x")).hasMessageContaining("fragment");
        assertThatThrownBy(() -> strict.check("https:///hook")).hasMessageContaining("no host");
        assertThatThrownBy(() -> strict.check("https://unknown.invalid/hook")).hasMessageContaining("does not resolve");
        Destinations local = new Destinations(true, true, this::resolve);
        assertThat(local.check("http://127.0.0.1:8080/hook")).hasPort(8080);
        assertThat(local.check("https://169.254.169.254/")).isNotNull();
        assertThatThrownBy(() -> local.check("file:///etc/passwd")).hasMessageContaining("http and https");
    }
}
