package io.tokenledger.command.expiry;

/** Payload of a warning deadline: the threshold, in days before expiry, that it stands for. */
public record ExpiryWarningDue(int daysBefore) {
}
