package io.degen.degeneracy;

import io.degen.config.RunConfig;
import io.degen.config.RunStatus;
import io.degen.io.NdArray;

import java.util.Map;

/**
 * One trained network in memory, as an analysis sees it: its id, configuration, how training ended,
 * and its final and initial weights (PyTorch's parameter names).
 */
public record Network(String id, RunConfig config, RunStatus status, Map<String, NdArray> weights,
                      Map<String, NdArray> initialWeights) {
    public Network {
        if (id == null || config == null || status == null || weights == null || initialWeights == null) {
            throw new IllegalArgumentException("a network needs an id, config, status and both weight sets");
        }
    }

    public boolean converged() { return status == RunStatus.CONVERGED; }
}
