package io.tokenledger.command.expiry;

import io.tokenledger.api.settings.ExpiryWarningDays;
import io.tokenledger.api.settings.ExpiryWarningsRescheduled;
import io.tokenledger.api.token.TokenId;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Expiry sagas are spread over a fixed number of buckets. A change of the warning ladder is announced once
 * per bucket, so each announcement loads only the sagas of one bucket: memory and transaction size stay
 * bounded however many tokens there are, and the saga processor's segments share the work.
 */
public final class ExpiryBuckets {
    /** Number of buckets; about 400 sagas each at 100 000 active tokens. */
    public static final int COUNT = 256;
    /** The saga association key that holds a token's bucket. */
    public static final String ASSOCIATION = "expiryBucket";

    private ExpiryBuckets() {
    }

    /** The bucket of a token, stable for its lifetime. */
    public static int of(TokenId tokenId) {
        return (int) Math.floorMod(tokenId.value().getLeastSignificantBits(), (long) COUNT);
    }

    /** One announcement per bucket of a new ladder. */
    public static List<ExpiryWarningsRescheduled> announce(ExpiryWarningDays days, long policyVersion) {
        return IntStream.range(0, COUNT)
                .mapToObj(bucket -> new ExpiryWarningsRescheduled(bucket, days.days(), policyVersion))
                .toList();
    }
}
