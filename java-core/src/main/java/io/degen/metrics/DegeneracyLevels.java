package io.degen.metrics;

import io.degen.config.DegeneracyOptions;
import io.degen.backend.Backend;
import io.degen.backend.Backends;
import io.degen.io.NdArray;
import io.degen.metrics.dsa.DsaMetric;
import io.degen.metrics.dsa.DsaParams;
import io.degen.metrics.weights.PifMetric;
import io.degen.util.Mat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pairwise levels of {@link Degeneracy}: DSA over hidden-state trajectories (each network's
 * operator fitted once) and d_PIF over recurrent matrices, each as a full matrix plus its mean and
 * the standard error over pairs.
 */
final class DegeneracyLevels {
    private DegeneracyLevels() { }

    static DsaParams dsaParams(DegeneracyOptions o, int units) {
        int rank = Math.min(o.dsaRank(), o.dsaDelays() * units);
        return DsaParams.of(o.dsaDelays(), o.dsaDelayInterval(), rank)
                .withScore(DsaParams.Score.parse(o.dsaScore())).withSeed(o.seed());
    }

    static PifMetric pif(DegeneracyOptions o, Backend engine) {
        return new PifMetric(PifMetric.Options.defaults().withRestarts(o.pifRestarts()).withSeed(o.seed()), engine);
    }

    /** The engine of the DSA fits and d_PIF products ({@link DegeneracyOptions#metricsBackend()}); the caller closes it. */
    static Backend engine(DegeneracyOptions o) { return Backends.create(o.metricsBackend()); }

    static Map<String, Object> dynamics(List<NdArray> trajectories, List<NdArray> nullTrajectories, DegeneracyOptions o) {
        return dynamics(trajectories, nullTrajectories, o, null);
    }

    /**
     * Mean pairwise DSA over the networks' trajectories on the shared probe trials, and the
     * same-network null: for each network, the distance between its operators fitted on the probe
     * trials and on an independent batch of as many trials ({@code nullTrajectories}), so the null
     * and the between-network distances rest on equal amounts of data. {@code precomputed} (e.g.
     * from {@link PairBlocks#assemble}) replaces the pairwise matrix.
     */
    static Map<String, Object> dynamics(List<NdArray> trajectories, List<NdArray> nullTrajectories, DegeneracyOptions o,
                                        double[][] precomputed) {
        DsaParams p = dsaParams(o, trajectories.get(0).dim(2));
        try (Backend engine = engine(o)) {
            return dynamics(trajectories, nullTrajectories, o, precomputed, p, new DsaMetric(p, engine));
        }
    }

    private static Map<String, Object> dynamics(List<NdArray> trajectories, List<NdArray> nullTrajectories, DegeneracyOptions o,
                                                double[][] precomputed, DsaParams p, DsaMetric dsa) {
        Map<String, Object> m = new LinkedHashMap<>();
        List<io.degen.metrics.dsa.Operator> ops = dsa.fitAll(trajectories, o.threads());
        double[][] d = precomputed != null ? precomputed : Pairwise.matrix(ops, dsa, o.threads());
        m.put("score", p.score().label());
        m.put("n_delays", p.nDelays());
        m.put("delay_interval", p.delayInterval());
        m.put("rank", p.rank());
        m.put("mean", Pairwise.meanOffDiagonal(d));
        m.put("se", Pairwise.standardErrorOffDiagonal(d));
        m.put("pairs", d.length * (d.length - 1) / 2);
        List<io.degen.metrics.dsa.Operator> nullOps = dsa.fitAll(nullTrajectories, o.threads());
        double[] nulls = new double[trajectories.size()];
        for (int i = 0; i < nulls.length; i++) nulls[i] = dsa.distance(ops.get(i), nullOps.get(i));
        m.put("null_mean", Degeneracy.mean(nulls));
        m.put("null_se", Degeneracy.se(nulls));
        m.put("null", nulls);
        m.put("matrix", d);
        return m;
    }

    static Map<String, Object> weights(List<Mat> recurrent, DegeneracyOptions o) { return weights(recurrent, o, null); }

    static Map<String, Object> weights(List<Mat> recurrent, DegeneracyOptions o, double[][] precomputed) {
        Map<String, Object> m = new LinkedHashMap<>();
        double[][] d = precomputed;
        if (d == null) {
            try (Backend engine = engine(o)) { d = Pairwise.matrix(recurrent, pif(o, engine), o.threads()); }
        }
        int n = recurrent.get(0).rows();
        m.put("mean", Pairwise.meanOffDiagonal(d));
        m.put("se", Pairwise.standardErrorOffDiagonal(d));
        // Divided by the number of entries of the matrix, so populations of different widths compare.
        m.put("mean_per_param", Pairwise.meanOffDiagonal(d) / ((double) n * n));
        m.put("se_per_param", Pairwise.standardErrorOffDiagonal(d) / ((double) n * n));
        m.put("units", n);
        m.put("restarts", o.pifRestarts());
        m.put("pairs", d.length * (d.length - 1) / 2);
        m.put("matrix", d);
        return m;
    }
}
