package io.degen.metrics;

/**
 * Told as the pairs of a pairwise matrix finish, so a long metrics phase (a paper-scale joint DSA
 * map has tens of thousands of pairs) is not silent. Called from the worker threads; implementations
 * must be thread-safe and cheap (rate-limit any printing).
 */
@FunctionalInterface
public interface PairProgress {
    /**
     * {@code done} of {@code total} pairs of the matrix named {@code what} have finished; a matrix
     * starts with one call of {@code done = 0} on the calling thread, before any pair.
     */
    void pairsDone(String what, int done, int total);

    PairProgress NONE = (what, done, total) -> { };
}
