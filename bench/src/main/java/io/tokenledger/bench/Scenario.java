package io.tokenledger.bench;

/** One part of a run: measures something of the running application beside its raw limit. */
public interface Scenario {

    /** Short name, used in the table and by {@code --only}. */
    String name();

    void run(Context context) throws Exception;
}
