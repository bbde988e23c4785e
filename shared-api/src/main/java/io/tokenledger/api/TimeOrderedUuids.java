package io.tokenledger.api;

import java.util.UUID;

/**
 * UUIDs of version 7 (RFC 9562, section 5.7): the time in milliseconds, then 74 random bits. One made later sorts
 * after one made earlier, as a number and as text, so a new row keyed or indexed by it lands at the right edge of
 * the index instead of on a random page: the pages a command touches stay few and in memory, and after a checkpoint
 * far fewer of them are written whole to the WAL again.
 */
public final class TimeOrderedUuids {
    private TimeOrderedUuids() {
    }

    /** A new one, its random bits from the same secure source as {@link UUID#randomUUID()}. */
    public static UUID next() {
        UUID random = UUID.randomUUID();
        return of(System.currentTimeMillis(), random.getMostSignificantBits(), random.getLeastSignificantBits());
    }

    /** The one of that millisecond with these random bits (74 of them are used). */
    public static UUID of(long millis, long randomHigh, long randomLow) {
        return new UUID((millis << 16) | 0x7000L | (randomHigh & 0x0FFFL),
                (randomLow & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L);
    }
}
