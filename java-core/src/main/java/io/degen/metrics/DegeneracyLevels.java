package io.degen.metrics;

import io.degen.io.NdArray;
import io.degen.util.Mat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The pairwise levels of {@link Degeneracy}: DSA over trajectories and d_PIF over recurrent matrices. */
final class DegeneracyLevels {
    private DegeneracyLevels() { }

    static Map<String, Object> dynamics(List<NdArray> trajectories, DegeneracyOptions o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("available", false);
        return m;
    }

    static Map<String, Object> weights(List<Mat> recurrent, DegeneracyOptions o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("available", false);
        return m;
    }
}
