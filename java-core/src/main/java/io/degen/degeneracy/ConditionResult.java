package io.degen.degeneracy;

import io.degen.statistics.NetworkStats;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The analysis of one condition: counts of how its networks' training ended, the converged ids in
 * run order, the requested levels (a level that was not asked for, or that had no converged
 * network, is null and absent from JSON) and what was measured per network.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ConditionResult(int networks, int converged, int notConverged, int diverged, List<String> ids,
                              Behaviour behaviour, Dynamics dynamics, Weights weights, FeatureLearningResult featureLearning,
                              Map<String, NetworkResult> perRun) {
    /** The condition-level metrics, in this order: what the catalog, the report's CSV and the DSL list. */
    public static final List<String> METRICS = List.of("behaviour_sd_ood", "behaviour_mean_ood", "dynamics_dsa", "dynamics_null",
            "weights_pif", "weights_pif_per_param", "weight_change", "kernel_alignment", "share_converged");

    /** The one flattening of an analysis into named values with standard errors (levels absent here are skipped). */
    @JsonIgnore
    public List<MetricValue> metrics() {
        List<MetricValue> out = new ArrayList<>();
        if (behaviour != null) {
            List<Double> ood = new ArrayList<>();
            if (perRun != null) for (NetworkResult r : perRun.values()) if (r.oodLoss() != null) ood.add(r.oodLoss());
            double[] x = ood.stream().mapToDouble(Double::doubleValue).toArray();
            add(out, "behaviour_sd_ood", behaviour.sdOodLoss(), behaviour.seSdOodLoss(), behaviour.n());
            add(out, "behaviour_mean_ood", behaviour.meanOodLoss(), NetworkStats.meanSe(x), behaviour.n());
        }
        if (dynamics != null) {
            add(out, "dynamics_dsa", dynamics.mean(), dynamics.se(), dynamics.n() > 0 ? dynamics.n() : converged);
            add(out, "dynamics_null", dynamics.nullMean(), dynamics.nullSe(), dynamics.n() > 0 ? dynamics.n() : converged);
        }
        if (weights != null) {
            int n = weights.n() > 0 ? weights.n() : converged;
            add(out, "weights_pif", weights.mean(), weights.se(), n);
            add(out, "weights_pif_per_param", weights.meanPerParam(), weights.sePerParam(), n);
        }
        if (featureLearning != null) {
            add(out, "weight_change", featureLearning.weightChangeRecurrentMean(), featureLearning.weightChangeRecurrentSe(), converged);
            if (featureLearning.kernelAlignmentMean() != null) {
                add(out, "kernel_alignment", featureLearning.kernelAlignmentMean(),
                        featureLearning.kernelAlignmentSe() == null ? Double.NaN : featureLearning.kernelAlignmentSe(), converged);
            }
        }
        if (networks > 0) {
            double p = converged / (double) networks;
            add(out, "share_converged", p, Math.sqrt(p * (1 - p) / networks), networks);
        }
        return out;
    }

    /** A per-network value of the converged networks in {@code ids} order; NaN where a network has none. */
    public double[] perNetwork(java.util.function.Function<NetworkResult, Double> value) {
        if (perRun == null || ids == null) return new double[0];
        double[] out = new double[ids.size()];
        for (int i = 0; i < out.length; i++) {
            NetworkResult r = perRun.get(ids.get(i));
            Double v = r == null ? null : value.apply(r);
            out[i] = v == null ? Double.NaN : v;
        }
        return out;
    }

    /** The metric of that name, or null. */
    public MetricValue metric(String name) {
        for (MetricValue v : metrics()) if (v.metric().equals(name)) return v;
        return null;
    }

    private static void add(List<MetricValue> out, String name, double v, double se, int n) {
        out.add(new MetricValue(name, v, Double.isFinite(se) ? se : null, n));
    }
}
