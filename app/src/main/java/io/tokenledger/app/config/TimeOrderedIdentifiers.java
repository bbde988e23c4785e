package io.tokenledger.app.config;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.axonframework.common.IdentifierFactory;

/**
 * Axon's message identifiers (every command, event, result and unit of work gets one) as UUID version 7 (RFC 9562,
 * section 5.7): the time in milliseconds, then 74 random bits. Axon's default is {@link UUID#randomUUID()}, whose
 * secure random source is read under a lock, which a create-token paid about ten times (2 % of its samples); an
 * identifier names a message, it guards nothing, so a fast generator does. Events' identifiers, unique in the event
 * store, now arrive in time order at the right edge of their index instead of anywhere in it. Registered for Axon's
 * service loader in {@code META-INF/services}.
 */
public final class TimeOrderedIdentifiers extends IdentifierFactory {

    @Override
    public String generateIdentifier() {
        return next(System.currentTimeMillis(), ThreadLocalRandom.current()).toString();
    }

    static UUID next(long millis, ThreadLocalRandom random) {
        long high = (millis << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
        long low = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(high, low);
    }
}
