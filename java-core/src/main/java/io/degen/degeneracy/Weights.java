package io.degen.degeneracy;

/**
 * Weight degeneracy of one condition: the mean pairwise permutation-invariant Frobenius distance
 * d_PIF between the converged networks' recurrent matrices (0 = equal up to relabelling the hidden
 * units; units of the weights). {@code meanPerParam} divides by n^2 so that widths compare. The
 * baselines beside it: the same statistic on the same networks' initial matrices (what training
 * started from: under muP the n^2 normalisation alone makes it fall with width) and on the trained
 * matrices each divided by its Frobenius norm (scale-free: a regulariser that only shrinks weights
 * moves the raw distance, not this one).
 */
@com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
public record Weights(int n, int units, int restarts, double mean, double se, double meanPerParam, double sePerParam, int pairs,
                      double[][] matrix, Double initialMean, double[][] initialMatrix, Double scaleFreeMean, double[][] scaleFreeMatrix) {
    /** Without the baselines (files of earlier versions). */
    public Weights(int n, int units, int restarts, double mean, double se, double meanPerParam, double sePerParam, int pairs, double[][] matrix) {
        this(n, units, restarts, mean, se, meanPerParam, sePerParam, pairs, matrix, null, null, null, null);
    }
}
