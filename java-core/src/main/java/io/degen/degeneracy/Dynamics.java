package io.degen.degeneracy;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Dynamical degeneracy of one condition: the mean pairwise DSA distance between its converged
 * networks' hidden-state trajectories on shared probe trials (0 = orthogonally similar dynamics;
 * angular score in radians, [0, pi]; euclidean in [0, 2]), and the same-network null: each
 * network's operators fitted on the probe trials and on an independent batch of as many trials.
 * A between-network distance that does not exceed the null is not resolved by DSA.
 *
 * @param se    leave-one-network-out jackknife standard error (pairs share networks, so never the SE over pairs)
 * @param nulls the same-network distance of each network, in {@code ids} order
 */
public record Dynamics(String score, int nDelays, int delayInterval, int rank, int n, double mean, double se, int pairs,
                       double nullMean, double nullSe, @JsonProperty("null") double[] nulls, double[][] matrix) { }
