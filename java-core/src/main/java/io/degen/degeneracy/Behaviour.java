package io.degen.degeneracy;

/**
 * Behavioural degeneracy of one condition: the spread of out-of-distribution loss across its
 * converged networks. {@code sdOodLoss} is the population SD (1/N), the paper's definition; 0 means
 * every network generalises identically. Units: those of the task's loss (MSE).
 *
 * @param n             converged networks
 * @param sdOodLoss     population SD of the OOD loss
 * @param meanOodLoss   mean OOD loss
 * @param seSdOodLoss   leave-one-network-out jackknife standard error of the SD
 * @param sdOodBeyondLoss   where the OOD form overlaps training ({@code oodOverlap} > 0): the SD on
 *                          OOD trials strictly beyond the training range (e.g. only delays longer than any trained)
 * @param meanOodBeyondLoss its mean
 * @param oodOverlap        the share of the OOD form's trials that training could also draw
 */
@com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
public record Behaviour(int n, double sdOodLoss, double meanOodLoss, double seSdOodLoss, Double sdOodBeyondLoss, Double meanOodBeyondLoss,
                        Double oodOverlap) {
    /** Without the beyond-training OOD set (a task whose OOD form lies beyond training already). */
    public Behaviour(int n, double sdOodLoss, double meanOodLoss, double seSdOodLoss) {
        this(n, sdOodLoss, meanOodLoss, seSdOodLoss, null, null, null);
    }
}
