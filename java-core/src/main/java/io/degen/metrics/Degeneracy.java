package io.degen.metrics;

import io.degen.config.DegeneracyOptions;
import io.degen.backend.Backend;
import io.degen.backend.DType;
import io.degen.model.Networks;
import io.degen.model.RnnModel;
import io.degen.model.Workspace;
import io.degen.store.RunArtifacts;
import io.degen.task.Task;
import io.degen.task.TrialBatch;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Degeneracy of one population of networks trained on the same condition, at three levels:
 * behaviour (population SD of OOD loss), dynamics (mean pairwise DSA distance of hidden-state
 * trajectories) and weights (mean pairwise d_PIF of recurrent matrices), plus feature-learning
 * measures. Only converged networks enter the three levels; counts of the others are reported.
 * All probe trials come from fixed seeds, so an analysis is reproducible.
 */
public final class Degeneracy {
    private Degeneracy() { }

    public static Map<String, Object> analyse(List<RunArtifacts.Stored> runs, DegeneracyOptions opts, Backend be) throws IOException {
        return analyse(runs, opts, be, null, null);
    }

    /**
     * As {@link #analyse(List, DegeneracyOptions, Backend)}; where {@code blocksDir} (a condition's
     * {@code DIR/blocks/<CID>}) holds a complete, verified set of {@link PairBlocks} files for the
     * dynamics or weights level with the same converged networks, that level's matrix is assembled
     * from them instead of computed (reported on {@code err}).
     */
    public static Map<String, Object> analyse(List<RunArtifacts.Stored> runs, DegeneracyOptions opts, Backend be, Path blocksDir,
                                              PrintStream err) throws IOException {
        Map<String, Object> out = new LinkedHashMap<>();
        List<RunArtifacts.Stored> conv = new ArrayList<>();
        int notConv = 0, div = 0;
        for (RunArtifacts.Stored s : runs) {
            switch (s.status()) {
                case "converged" -> conv.add(s);
                case "diverged" -> div++;
                default -> notConv++;
            }
        }
        out.put("networks", runs.size());
        out.put("converged", conv.size());
        out.put("not_converged", notConv);
        out.put("diverged", div);
        List<String> ids = new ArrayList<>();
        for (RunArtifacts.Stored s : conv) ids.add(s.id());
        out.put("ids", ids);
        if (conv.isEmpty()) return out;

        Task task = conv.get(0).config().task();
        TrialBatch probe = task.batch(opts.probeTrials(), new SplittableRandom(opts.seed()));
        TrialBatch ood = task.oodBatch(opts.oodTrials(), new SplittableRandom(opts.seed() + 1));
        TrialBatch ntkProbe = FeatureLearning.probe(task, opts.ntkTrials(), opts.seed() + 2);
        TrialBatch nullProbe = task.batch(opts.probeTrials(), new SplittableRandom(opts.seed() + 3));

        double[] oodLoss = new double[conv.size()];
        double[] dwRec = new double[conv.size()], dwAll = new double[conv.size()], ka = new double[conv.size()];
        List<io.degen.io.NdArray> trajectories = new ArrayList<>(), nullTrajectories = new ArrayList<>();
        List<io.degen.util.Mat> recurrent = new ArrayList<>();
        Map<String, Object> perRun = new LinkedHashMap<>();
        for (int i = 0; i < conv.size(); i++) {
            RunArtifacts.Stored s = conv.get(i);
            var w = s.weights();
            var w0 = s.initialWeights();
            try (RnnModel m = Networks.load(be, DType.F64, s.config().model(), s.config().task().inputSize(), s.config().task().outputSize(), w); Workspace ws = m.workspace()) {
                oodLoss[i] = m.loss(ws, ood);
                m.run(ws, probe);
                trajectories.add(io.degen.io.NdArray.f64(ws.statesBatchMajor(), probe.batch(), probe.time(), m.hidden()));
                m.run(ws, nullProbe);
                nullTrajectories.add(io.degen.io.NdArray.f64(ws.statesBatchMajor(), nullProbe.batch(), nullProbe.time(), m.hidden()));
                String rec = m.recurrentName();
                recurrent.add(io.degen.util.Mat.of(w.get(rec), rec));
                dwRec[i] = FeatureLearning.weightChange(w, w0, rec);
                dwAll[i] = FeatureLearning.weightChange(w, w0, null);
                if (opts.ntk()) {
                    int[] idx = FeatureLearning.probeIndices(ntkProbe, 10);
                    double[] kT = FeatureLearning.ntk(m, ntkProbe, idx);
                    try (RnnModel m0 = Networks.load(be, DType.F64, s.config().model(), s.config().task().inputSize(), s.config().task().outputSize(), w0)) {
                        ka[i] = FeatureLearning.kernelAlignment(kT, FeatureLearning.ntk(m0, ntkProbe, idx));
                    }
                }
            }
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("ood_loss", oodLoss[i]);
            r.put("weight_change_recurrent", dwRec[i]);
            r.put("weight_change_all", dwAll[i]);
            if (opts.ntk()) r.put("kernel_alignment", ka[i]);
            perRun.put(s.id(), r);
        }
        Map<String, Object> beh = new LinkedHashMap<>();
        beh.put("sd_ood_loss", populationSd(oodLoss));
        beh.put("mean_ood_loss", mean(oodLoss));
        beh.put("se_sd_ood_loss", bootstrapSeOfSd(oodLoss, opts.seed()));
        beh.put("n", oodLoss.length);
        out.put("behaviour", beh);
        out.put("dynamics", DegeneracyLevels.dynamics(trajectories, nullTrajectories, opts, PairBlocks.assemble(blocksDir, "dynamics", ids, opts, err)));
        out.put("weights", DegeneracyLevels.weights(recurrent, opts, PairBlocks.assemble(blocksDir, "weights", ids, opts, err)));
        Map<String, Object> fl = new LinkedHashMap<>();
        fl.put("weight_change_recurrent_mean", mean(dwRec));
        fl.put("weight_change_recurrent_se", se(dwRec));
        fl.put("weight_change_all_mean", mean(dwAll));
        fl.put("weight_change_all_se", se(dwAll));
        if (opts.ntk()) { fl.put("kernel_alignment_mean", mean(ka)); fl.put("kernel_alignment_se", se(ka)); }
        out.put("feature_learning", fl);
        out.put("per_run", perRun);
        return out;
    }

    /** The inputs of the pairwise levels: converged networks' ids, probe trajectories and recurrent matrices, in run order. */
    public record LevelInputs(List<String> ids, List<io.degen.io.NdArray> trajectories, List<io.degen.util.Mat> recurrent) { }

    /**
     * Loads the converged networks of {@code runs} and records what {@link #analyse} compares pairwise
     * (the same probe trials, so the same trajectories); {@code trajectories} false skips the forward pass.
     */
    public static LevelInputs levelInputs(List<RunArtifacts.Stored> runs, DegeneracyOptions opts, Backend be, boolean trajectories)
            throws IOException {
        List<String> ids = new ArrayList<>();
        List<io.degen.io.NdArray> tr = new ArrayList<>();
        List<io.degen.util.Mat> rec = new ArrayList<>();
        TrialBatch probe = null;
        for (RunArtifacts.Stored s : runs) {
            if (!"converged".equals(s.status())) continue;
            if (probe == null) probe = s.config().task().batch(opts.probeTrials(), new SplittableRandom(opts.seed()));
            var w = s.weights();
            try (RnnModel m = Networks.load(be, DType.F64, s.config().model(), s.config().task().inputSize(), s.config().task().outputSize(), w); Workspace ws = m.workspace()) {
                if (trajectories) {
                    m.run(ws, probe);
                    tr.add(io.degen.io.NdArray.f64(ws.statesBatchMajor(), probe.batch(), probe.time(), m.hidden()));
                }
                String r = m.recurrentName();
                rec.add(io.degen.util.Mat.of(w.get(r), r));
            }
            ids.add(s.id());
        }
        return new LevelInputs(ids, tr, rec);
    }

    /**
     * DSA distances between every converged network of several conditions at once (the paper's
     * Fig. 3A map): operators are fitted on the same probe trials as in {@link #analyse}, so each
     * within-condition block equals that condition's own matrix. Returns ids, condition ids and the
     * matrix; conditions must share the task (DSA parameters are fixed within a task).
     */
    public static Map<String, Object> jointDynamics(Map<String, List<RunArtifacts.Stored>> byCondition, DegeneracyOptions opts,
                                                    Backend be) throws IOException {
        List<String> ids = new ArrayList<>(), conds = new ArrayList<>();
        List<io.degen.io.NdArray> trajectories = new ArrayList<>();
        Task task = null;
        for (var e : byCondition.entrySet()) {
            for (RunArtifacts.Stored s : e.getValue()) {
                if (!s.converged()) continue;
                if (task == null) task = s.config().task();
                else if (!task.type().equals(s.config().task().type())) {
                    throw new IllegalArgumentException("a joint DSA map needs one task, got " + task.type() + " and " + s.config().task().type());
                }
                // Probe trials of each network's own task form (channels may differ between conditions).
                TrialBatch probe = s.config().task().batch(opts.probeTrials(), new SplittableRandom(opts.seed()));
                try (RnnModel m = Networks.load(be, DType.F64, s.config().model(), s.config().task().inputSize(), s.config().task().outputSize(), s.weights()); Workspace ws = m.workspace()) {
                    m.run(ws, probe);
                    trajectories.add(io.degen.io.NdArray.f64(ws.statesBatchMajor(), probe.batch(), probe.time(), m.hidden()));
                }
                ids.add(s.id());
                conds.add(e.getKey());
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("ids", ids);
        out.put("conditions", conds);
        if (ids.size() < 2) return out;
        int minUnits = trajectories.stream().mapToInt(t -> t.dim(2)).min().orElse(1);
        var p = DegeneracyLevels.dsaParams(opts, minUnits);
        out.put("score", p.score().label());
        // On the same engine as each condition's matrix, so its blocks equal those matrices.
        try (io.degen.backend.Backend engine = DegeneracyLevels.engine(opts)) {
            var dsa = new io.degen.metrics.dsa.DsaMetric(p, engine);
            out.put("matrix", Pairwise.matrix(dsa.fitAll(trajectories, opts.threads()), dsa, opts.threads()));
        }
        return out;
    }

    /** Population standard deviation (1/N), as the paper defines behavioural degeneracy. */
    public static double populationSd(double[] x) {
        if (x.length == 0) return Double.NaN;
        double m = mean(x), s = 0;
        for (double v : x) s += (v - m) * (v - m);
        return Math.sqrt(s / x.length);
    }

    public static double mean(double[] x) {
        double s = 0;
        for (double v : x) s += v;
        return x.length == 0 ? Double.NaN : s / x.length;
    }

    /** Standard error of the mean (sample SD / sqrt(n)). */
    public static double se(double[] x) {
        if (x.length < 2) return Double.NaN;
        double m = mean(x), s = 0;
        for (double v : x) s += (v - m) * (v - m);
        return Math.sqrt(s / (x.length - 1) / x.length);
    }

    /** Bootstrap standard error of the population SD (500 resamples, seeded). */
    static double bootstrapSeOfSd(double[] x, long seed) {
        if (x.length < 2) return Double.NaN;
        SplittableRandom r = new SplittableRandom(seed);
        double[] sds = new double[500], b = new double[x.length];
        for (int k = 0; k < sds.length; k++) {
            for (int i = 0; i < x.length; i++) b[i] = x[r.nextInt(x.length)];
            sds[k] = populationSd(b);
        }
        double m = mean(sds), s = 0;
        for (double v : sds) s += (v - m) * (v - m);
        return Math.sqrt(s / (sds.length - 1));
    }
}
