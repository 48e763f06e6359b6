package io.degen.train;

import io.degen.config.RunStatus;
import io.degen.io.NdArray;

import java.util.Map;

/**
 * Outcome of training one network: status, the epoch loss the stopping rule watched ({@code lossCurve},
 * its last value {@code finalLoss}), for a task with auxiliary outputs stopping on its own outputs the
 * auxiliary outputs' loss beside it ({@code auxLossCurve}, else null), and the initial and final weights.
 */
public record TrainResult(RunStatus status, int epochs, double finalLoss, double[] lossCurve, double wallSeconds,
                          Map<String, NdArray> initialWeights, Map<String, NdArray> finalWeights, String backend, double[] auxLossCurve) {
    public TrainResult(RunStatus status, int epochs, double finalLoss, double[] lossCurve, double wallSeconds,
                       Map<String, NdArray> initialWeights, Map<String, NdArray> finalWeights, String backend) {
        this(status, epochs, finalLoss, lossCurve, wallSeconds, initialWeights, finalWeights, backend, null);
    }

    public boolean converged() { return status == RunStatus.CONVERGED; }
}
