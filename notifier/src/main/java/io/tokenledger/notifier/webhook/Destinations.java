package io.tokenledger.notifier.webhook;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

/**
 * Where webhooks may be sent (server-side request forgery): {@code https} URLs only unless {@code allow-http}, and
 * public addresses only unless {@code allow-private-addresses}. A host name is resolved and every address it
 * resolves to must be public, both when an endpoint is registered and before each delivery, since the name may
 * resolve elsewhere by then. The delivery then connects to the addresses just checked: the JVM resolver caches a
 * lookup ({@code networkaddress.cache.ttl}, 30 s by default) and the HTTP client resolves the host through it.
 */
public final class Destinations {
    /** Why a destination is refused; the message names the rule, never more than the URL. */
    public static final class Refused extends Exception {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    /** Resolves a host name to its addresses (the system resolver in production). */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private static final int MAX_LENGTH = 2000;

    private final boolean allowHttp;
    private final boolean allowPrivate;
    private final Resolver resolver;

    public Destinations(boolean allowHttp, boolean allowPrivate, Resolver resolver) {
        this.allowHttp = allowHttp;
        this.allowPrivate = allowPrivate;
        this.resolver = resolver;
    }

    static Destinations of(WebhookProperties properties) {
        return new Destinations(properties.allowHttp(), properties.allowPrivateAddresses(), InetAddress::getAllByName);
    }

    /** The URL as an endpoint, if it is one webhooks may be sent to now. */
    public URI check(String url) throws Refused {
        URI uri = parse(url);
        addresses(uri);
        return uri;
    }

    /** The URL's addresses, each checked; before a delivery. */
    public List<InetAddress> addresses(URI uri) throws Refused {
        InetAddress[] all;
        String host = host(uri);
        try {
            all = resolver.resolve(host);
        } catch (UnknownHostException e) {
            throw new Refused("host " + host + " does not resolve");
        }
        if (all.length == 0) {
            throw new Refused("host " + host + " does not resolve");
        }
        if (!allowPrivate) {
            for (InetAddress address : all) {
                if (!isPublic(address)) {
                    throw new Refused("host " + host + " resolves to " + address.getHostAddress()
                            + ", a loopback, link-local or private address");
                }
            }
        }
        return List.of(all);
    }

    private URI parse(String url) throws Refused {
        if (url == null || url.isBlank()) {
            throw new Refused("a URL is required");
        }
        if (url.length() > MAX_LENGTH) {
            throw new Refused("the URL is longer than " + MAX_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new Refused("not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(allowHttp && scheme.equals("http"))) {
            throw new Refused(allowHttp ? "only http and https URLs" : "only https URLs");
        }
        if (uri.getRawAuthority() == null || uri.getHost() == null) {
            throw new Refused("the URL has no host");
        }
        if (uri.getRawUserInfo() != null) {
            throw new Refused("the URL may not carry a user name or password");
        }
        if (uri.getRawFragment() != null) {
            throw new Refused("the URL may not have a fragment");
        }
        return uri;
    }

    private static String host(URI uri) {
        String host = uri.getHost();
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /**
     * True for an address on the public internet: not loopback, unspecified, link-local (the cloud metadata service
     * at 169.254.169.254 among them), private (RFC 1918, IPv6 unique-local), shared (100.64.0.0/10), multicast or
     * otherwise reserved; IPv6 forms that embed an IPv4 address are judged by that address.
     */
    public static boolean isPublic(InetAddress address) {
        if (address.isLoopbackAddress() || address.isAnyLocalAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return false;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int a0 = b[0] & 0xff;
            int a1 = b[1] & 0xff;
            int a2 = b[2] & 0xff;
            return !(a0 == 0                                    // "this" network
                    || a0 == 10 || a0 == 127                     // private, loopback
                    || (a0 == 100 && (a1 & 0xc0) == 64)          // shared address space (carrier-grade NAT)
                    || (a0 == 169 && a1 == 254)                  // link-local, cloud metadata
                    || (a0 == 172 && (a1 & 0xf0) == 16)          // private
                    || (a0 == 192 && a1 == 0 && a2 == 0)         // IETF protocol assignments
                    || (a0 == 192 && a1 == 0 && a2 == 2)         // documentation
                    || (a0 == 192 && a1 == 168)                  // private
                    || (a0 == 198 && (a1 & 0xfe) == 18)          // benchmarking
                    || (a0 == 198 && a1 == 51 && a2 == 100)      // documentation
                    || (a0 == 203 && a1 == 0 && a2 == 113)       // documentation
                    || a0 >= 224);                               // multicast, reserved, broadcast
        }
        if (address instanceof Inet6Address) {
            int b0 = b[0] & 0xff;
            if ((b0 & 0xfe) == 0xfc) {                           // unique local fc00::/7
                return false;
            }
            if (b0 == 0xfe && (b[1] & 0xc0) == 0xc0) {            // deprecated site-local fec0::/10
                return false;
            }
            if (embedsIpv4(b, 0, 10) && ((b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff || b[10] == 0 && b[11] == 0)) {
                return isPublic(ipv4(b, 12));                     // IPv4-mapped ::ffff:a.b.c.d, IPv4-compatible ::a.b.c.d
            }
            if (b0 == 0x00 && b[1] == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b) {
                return isPublic(ipv4(b, 12));                     // NAT64 64:ff9b::/96
            }
            if (b0 == 0x20 && b[1] == 0x02) {
                return isPublic(ipv4(b, 2));                      // 6to4 2002::/16
            }
            return b0 != 0x01 || b[1] != 0 || b[2] != 0 || b[3] != 0;   // discard-only 100::/64
        }
        return false;
    }

    private static boolean embedsIpv4(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static InetAddress ipv4(byte[] b, int offset) {
        try {
            return InetAddress.getByAddress(new byte[] {b[offset], b[offset + 1], b[offset + 2], b[offset + 3]});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
