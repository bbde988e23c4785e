package io.tokenledger.api;

/** A command broke a business rule; the reason decides the HTTP status it is answered with. */
public class CommandRejected extends RuntimeException {

    /** Why a command was refused. */
    public enum Reason {
        /** The input is invalid (400). */
        INVALID,
        /** The input conflicts with the current state (409). */
        CONFLICT,
        /** The addressed thing does not exist (404). */
        NOT_FOUND,
        /** The actor may not do this (403). */
        FORBIDDEN
    }

    private final Reason reason;
    private final String field;

    public CommandRejected(Reason reason, String message) {
        this(reason, null, message);
    }

    public CommandRejected(Reason reason, String field, String message) {
        super(message, null, false, false);
        this.reason = reason;
        this.field = field;
    }

    public static CommandRejected invalid(String field, String message) {
        return new CommandRejected(Reason.INVALID, field, message);
    }

    public static CommandRejected conflict(String message) {
        return new CommandRejected(Reason.CONFLICT, message);
    }

    public static CommandRejected notFound(String message) {
        return new CommandRejected(Reason.NOT_FOUND, message);
    }

    public static CommandRejected forbidden(String message) {
        return new CommandRejected(Reason.FORBIDDEN, message);
    }

    public Reason reason() {
        return reason;
    }

    /** The input field at fault, or null. */
    public String field() {
        return field;
    }
}
