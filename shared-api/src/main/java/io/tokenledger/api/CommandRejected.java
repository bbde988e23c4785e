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

    /**
     * A kind of refusal a client may want to tell from others of its reason: a short name for the problem's
     * {@code type} (e.g. {@code last-admin}) and the title that goes with it.
     */
    public record Problem(String type, String title) {
    }

    private final Reason reason;
    private final String field;
    private final Problem problem;

    public CommandRejected(Reason reason, String message) {
        this(reason, null, message);
    }

    public CommandRejected(Reason reason, String field, String message) {
        this(reason, field, message, null);
    }

    private CommandRejected(Reason reason, String field, String message, Problem problem) {
        super(message, null, false, false);
        this.reason = reason;
        this.field = field;
        this.problem = problem;
    }

    public static CommandRejected invalid(String field, String message) {
        return new CommandRejected(Reason.INVALID, field, message);
    }

    /** Invalid input of a kind of its own (e.g. a weak password), answered 400 with that problem type and title. */
    public static CommandRejected invalid(Problem problem, String field, String message) {
        return new CommandRejected(Reason.INVALID, field, message, problem);
    }

    public static CommandRejected conflict(String message) {
        return new CommandRejected(Reason.CONFLICT, message);
    }

    /** A conflict of a kind of its own, answered with that problem type and title. */
    public static CommandRejected conflict(Problem problem, String message) {
        return new CommandRejected(Reason.CONFLICT, null, message, problem);
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

    /** The kind of refusal when it has one of its own, or null. */
    public Problem problem() {
        return problem;
    }

    /** The input field at fault, or null. */
    public String field() {
        return field;
    }
}
