package io.degen.model;

import io.degen.backend.Backend;
import io.degen.backend.DType;
import io.degen.config.ModelConfig;
import io.degen.io.NdArray;

import java.util.Map;

/** Rebuilds a trained network from its model configuration, its input/output sizes and stored weights (for analysis and simulation). */
public final class Networks {
    private Networks() { }

    public static RnnModel load(Backend be, DType dtype, ModelConfig model, int inputs, int outputs, Map<String, NdArray> weights) {
        RnnModel m = RnnModel.create(be, dtype, model, inputs, outputs);
        try {
            m.importWeights(weights);
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
        return m;
    }
}
