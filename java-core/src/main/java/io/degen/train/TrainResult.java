package io.degen.train;

import io.degen.config.RunStatus;
import io.degen.io.NdArray;

import java.util.Map;

/** Outcome of training one network: status, loss curve and the initial and final weights. */
public record TrainResult(RunStatus status, int epochs, double finalLoss, double[] lossCurve, double wallSeconds,
                          Map<String, NdArray> initialWeights, Map<String, NdArray> finalWeights, String backend) {
    public boolean converged() { return status == RunStatus.CONVERGED; }
}
