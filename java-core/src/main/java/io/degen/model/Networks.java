package io.degen.model;

import io.degen.backend.Backend;
import io.degen.backend.DType;
import io.degen.io.NdArray;
import io.degen.plan.RunConfig;

import java.util.Map;

/** Rebuilds a trained network from its configuration and stored weights (for analysis and simulation). */
public final class Networks {
    private Networks() { }

    public static RnnModel load(Backend be, DType dtype, RunConfig run, Map<String, NdArray> weights) {
        RnnModel m = RnnModel.create(be, dtype, run.model(), run.task().inputSize(), run.task().outputSize());
        m.importWeights(weights);
        return m;
    }
}
