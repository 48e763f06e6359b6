package io.degen.degeneracy;

/**
 * Behavioural degeneracy of one condition: the spread of out-of-distribution loss across its
 * converged networks. {@code sdOodLoss} is the population SD (1/N), the paper's definition; 0 means
 * every network generalises identically. Units: those of the task's loss (MSE).
 *
 * @param n             converged networks
 * @param sdOodLoss     population SD of the OOD loss
 * @param meanOodLoss   mean OOD loss
 * @param seSdOodLoss   bootstrap standard error of the SD (500 resamples of networks)
 */
public record Behaviour(int n, double sdOodLoss, double meanOodLoss, double seSdOodLoss) { }
