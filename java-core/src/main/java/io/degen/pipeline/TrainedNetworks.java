package io.degen.pipeline;

import java.util.List;

/**
 * What {@code degen train} did: one row per network (trained now or already stored) and the
 * counts of how training ended, with the median epochs and wall time.
 */
public record TrainedNetworks(String backend, String out, int networks, int converged, int notConverged, int diverged,
                              double medianEpochs, double medianWallSeconds, List<Row> runs) {
    /** One network. */
    public record Row(String id, long seed, String status, int epochs, double finalLoss, double wallSeconds, boolean skipped) { }
}
