package io.degen.degeneracy;

/**
 * Weight degeneracy of one condition: the mean pairwise permutation-invariant Frobenius distance
 * d_PIF between the converged networks' recurrent matrices (0 = equal up to relabelling the hidden
 * units; units of the weights). {@code meanPerParam} divides by n^2 so that widths compare.
 */
public record Weights(int n, int units, int restarts, double mean, double se, double meanPerParam, double sePerParam, int pairs,
                      double[][] matrix) { }
