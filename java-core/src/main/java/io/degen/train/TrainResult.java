package io.degen.train;

import io.degen.io.NdArray;

import java.util.Map;

/** Outcome of training one network: status, loss curve and the initial and final weights. */
public record TrainResult(Status status, int epochs, double finalLoss, double[] lossCurve, double wallSeconds,
                          Map<String, NdArray> initialWeights, Map<String, NdArray> finalWeights, String backend) {
    public enum Status {
        CONVERGED, NOT_CONVERGED, DIVERGED;

        public String label() { return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'); }

        public static Status parse(String s) { return valueOf(s.toUpperCase(java.util.Locale.ROOT).replace('-', '_')); }
    }

    public boolean converged() { return status == Status.CONVERGED; }
}
