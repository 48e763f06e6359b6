package io.degen.verdict;

/** A verdict that cannot be given from the data as stored (one condition, too few networks, a level not measured): a user error. */
public final class VerdictException extends IllegalArgumentException {
    public VerdictException(String message) { super(message); }
}
