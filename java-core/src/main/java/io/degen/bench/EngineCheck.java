package io.degen.bench;

import io.degen.backend.Backend;
import io.degen.backend.BackendCrossCheck;
import io.degen.backend.DType;
import io.degen.config.ModelConfig;
import io.degen.model.Cohort;
import io.degen.model.RnnModel;
import io.degen.model.Workspace;
import io.degen.task.FlipFlopTask;
import io.degen.task.Task;
import io.degen.task.TrialBatch;
import io.degen.train.Adam;
import io.degen.train.Regularisers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;

/**
 * The stages of the engine check (the GPU check's body, usable with any pair of engines, so the
 * default build can run it Java against Java): {@link #ops} (every Backend op, {@link BackendCrossCheck}),
 * {@link #grad64} (a full model's float64 loss and gradients), {@link #train} (a short float32 training
 * run, networks alone and in a lockstep group) and {@link #throughput}. Each returns a map that
 * serialises as one JSON object, with {@code ok} where the stage has a verdict.
 */
public final class EngineCheck {
    private EngineCheck() { }

    /** Tolerance of the float64 model comparison (loss and every gradient, relative, see BackendCrossCheck). */
    public static final double GRAD64_TOL = 1e-10;
    public static final double TRAIN_LOSS_TOL_REL = 1e-3, TRAIN_WEIGHTS_TOL_ABS = 5e-3;

    // ---- ops ------------------------------------------------------------------------------------

    public static Map<String, Object> ops(Backend ref, Backend cand) {
        List<BackendCrossCheck.Result> rs = BackendCrossCheck.run(ref, cand);
        Map<String, Object> m = new LinkedHashMap<>();
        Map<DType, double[]> worst = new LinkedHashMap<>();
        Map<DType, String> worstOp = new LinkedHashMap<>();
        int passed = 0;
        for (BackendCrossCheck.Result r : rs) {
            if (r.ok()) passed++;
            double[] w = worst.computeIfAbsent(r.dtype(), k -> new double[1]);
            if (!(r.rel() <= w[0])) { w[0] = r.rel(); worstOp.put(r.dtype(), r.op()); }
        }
        m.put("compared", rs.size());
        m.put("passed", passed);
        m.put("failed", BackendCrossCheck.failures(rs));
        for (DType t : DType.values()) {
            String k = t == DType.F32 ? "f32" : "f64";
            m.put("max_rel_" + k, worst.containsKey(t) ? worst.get(t)[0] : 0.0);
            m.put("worst_op_" + k, worstOp.getOrDefault(t, ""));
        }
        m.put("tol_f32", BackendCrossCheck.TOL_F32);
        m.put("tol_f64", BackendCrossCheck.TOL_F64);
        m.put("ok", passed == rs.size());
        return m;
    }

    // ---- grad64 ---------------------------------------------------------------------------------

    /**
     * A full model's float64 loss and gradients on both engines (standard and muP RNN, hidden 24,
     * flip-flop with 3 channels, T 30, batch 5, with the L1 and nuclear-norm penalties): one network
     * alone, and three networks in one lockstep group (their recurrent products go to the engine as
     * gemmAll groups) against the same three alone on the reference.
     */
    public static Map<String, Object> grad64(Backend ref, Backend cand) {
        Task task = new FlipFlopTask(Map.of("channels", 3, "time", 30));
        List<String> failed = new ArrayList<>();
        double worst = 0;
        int compared = 0;
        for (String type : new String[] {"standard", "mup"}) {
            ModelConfig mc = type.equals("mup") ? ModelConfig.mup(24, 1.0) : ModelConfig.standard(24);
            int group = 3;
            RnnModel[] rm = new RnnModel[group], cm = new RnnModel[group];
            Workspace[] rw = new Workspace[group], cw = new Workspace[group];
            TrialBatch[] tbs = new TrialBatch[group];
            try {
                SplittableRandom data = new SplittableRandom(77);
                for (int i = 0; i < group; i++) {
                    rm[i] = model(ref, DType.F64, mc, task, 500 + i);
                    cm[i] = model(cand, DType.F64, mc, task, 500 + i);
                    rw[i] = rm[i].workspace();
                    cw[i] = cm[i].workspace();
                    tbs[i] = task.batch(5, data);
                }
                // network 0 alone
                double lr = rm[0].lossAndGradients(rw[0], tbs[0]) + Regularisers.apply(rm[0], 1e-3, 1e-3);
                double lc = cm[0].lossAndGradients(cw[0], tbs[0]) + Regularisers.apply(cm[0], 1e-3, 1e-3);
                BackendCrossCheck.Result[] rs = {
                    BackendCrossCheck.compare(type + " alone: loss", DType.F64, new double[] {lr}, new double[] {lc}),
                    BackendCrossCheck.compare(type + " alone: gradients", DType.F64, ref.toDoubles(rm[0].grads()), cand.toDoubles(cm[0].grads())),
                };
                List<BackendCrossCheck.Result> all = new ArrayList<>(List.of(rs));
                // all three in one lockstep group on the candidate, alone on the reference
                double[] lg = RnnModel.lossAndGradientsAll(cm, cw, tbs, group);
                for (int i = 0; i < group; i++) {
                    double l = rm[i].lossAndGradients(rw[i], tbs[i]);
                    all.add(BackendCrossCheck.compare(type + " lockstep[" + i + "]: loss", DType.F64, new double[] {l}, new double[] {lg[i]}));
                    all.add(BackendCrossCheck.compare(type + " lockstep[" + i + "]: gradients", DType.F64,
                            ref.toDoubles(rm[i].grads()), cand.toDoubles(cm[i].grads())));
                }
                for (BackendCrossCheck.Result r : all) {
                    compared++;
                    worst = Math.max(worst, r.rel());
                    if (!(r.rel() <= GRAD64_TOL)) failed.add(r.toString());
                }
            } finally {
                for (int i = 0; i < group; i++) {
                    if (rw[i] != null) rw[i].close();
                    if (cw[i] != null) cw[i].close();
                    if (rm[i] != null) rm[i].close();
                    if (cm[i] != null) cm[i].close();
                }
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("models", "standard and mup, hidden 24, flipflop 3 channels T 30, batch 5, float64, l1 and nuclear 1e-3; "
                + "one alone, three in one lockstep group");
        m.put("compared", compared);
        m.put("failed", failed);
        m.put("max_rel", worst);
        m.put("tol", GRAD64_TOL);
        m.put("ok", failed.isEmpty());
        return m;
    }

    private static RnnModel model(Backend be, DType t, ModelConfig mc, Task task, long seed) {
        RnnModel m = RnnModel.create(be, t, mc, task.inputSize(), task.outputSize());
        m.initialise(new SplittableRandom(seed));
        return m;
    }

    // ---- train ----------------------------------------------------------------------------------

    /** One float32 network on one engine: model, workspace, optimiser. */
    private record Net(RnnModel model, Workspace ws, Adam adam) implements AutoCloseable {
        static Net create(Backend be, ModelConfig mc, Task task, long seed, double lr) {
            RnnModel m = EngineCheck.model(be, DType.F32, mc, task, seed);
            return new Net(m, m.workspace(), new Adam(be, DType.F32, m.parameterCount(), lr));
        }

        double step(TrialBatch tb, double l1) {
            double loss = model.lossAndGradients(ws, tb);
            Regularisers.apply(model, 0, l1);
            adam.step(model.params(), model.grads());
            return loss;
        }

        @Override public void close() { adam.close(); ws.close(); model.close(); }
    }

    /** Largest differences between a reference and a candidate training run. */
    private static final class Diff {
        double lossAbs, lossRel, wAbs, wScale;
        final List<Double> refCurve = new ArrayList<>(), candCurve = new ArrayList<>();

        void loss(double r, double c, boolean record) {
            double d = Math.abs(r - c);
            if (!(d <= Double.MAX_VALUE)) d = Double.POSITIVE_INFINITY;
            lossAbs = Math.max(lossAbs, d);
            lossRel = Math.max(lossRel, d / Math.max(1e-12, Math.abs(r)));
            if (record) { refCurve.add(r); candCurve.add(c); }
        }

        void weights(double[] wr, double[] wc) {
            for (int k = 0; k < wr.length; k++) {
                double d = Math.abs(wr[k] - wc[k]);
                if (!(d <= Double.MAX_VALUE)) d = Double.POSITIVE_INFINITY;
                wAbs = Math.max(wAbs, d);
                wScale = Math.max(wScale, Math.abs(wr[k]));
            }
        }

        boolean ok() { return lossRel <= TRAIN_LOSS_TOL_REL && wAbs <= TRAIN_WEIGHTS_TOL_ABS; }

        Map<String, Object> put(Map<String, Object> m) {
            m.put("loss_max_abs_diff", lossAbs);
            m.put("loss_max_rel_diff", lossRel);
            m.put("weights_max_abs_diff", wAbs);
            m.put("weights_max_rel_diff", wAbs / Math.max(1e-12, wScale));
            if (!refCurve.isEmpty()) {
                m.put("ref_first_last_loss", List.of(refCurve.get(0), refCurve.get(refCurve.size() - 1)));
                m.put("cand_first_last_loss", List.of(candCurve.get(0), candCurve.get(candCurve.size() - 1)));
            }
            m.put("ok", ok());
            return m;
        }
    }

    /**
     * A short float32 training run from the same seeds and the same trial batches on both engines:
     * 4 standard flip-flop networks and 2 muP networks with an L1 penalty (hidden 64, 3 channels, T 50,
     * batch 32) for {@code steps} Adam steps, each network alone; then 4 standard networks trained as
     * one lockstep group on the candidate (gemmAll per time step, as {@code train --ensemble}) against
     * the same 4 alone on the reference. Tolerances: loss {@value #TRAIN_LOSS_TOL_REL} relative,
     * weights {@value #TRAIN_WEIGHTS_TOL_ABS} absolute.
     */
    public static Map<String, Object> train(Backend ref, Backend cand, int steps) {
        Task task = new FlipFlopTask(Map.of("channels", 3, "time", 50));
        Diff alone = new Diff(), lock = new Diff();
        for (int i = 0; i < 6; i++) {
            boolean mup = i >= 4;
            ModelConfig mc = mup ? ModelConfig.mup(64, 1.0) : ModelConfig.standard(64);
            double lr = 1e-3, l1 = mup ? 1e-4 : 0;
            SplittableRandom data = new SplittableRandom(1000 + i);
            try (Net c = Net.create(ref, mc, task, 42 + i, lr); Net g = Net.create(cand, mc, task, 42 + i, lr)) {
                for (int s = 0; s < steps; s++) {
                    TrialBatch tb = task.batch(32, data);
                    alone.loss(c.step(tb, l1), g.step(tb, l1), i == 0);
                }
                alone.weights(ref.toDoubles(c.model().params()), cand.toDoubles(g.model().params()));
            }
        }
        int group = 4;
        ModelConfig mc = ModelConfig.standard(64);
        Net[] rn = new Net[group], cn = new Net[group];
        try {
            for (int i = 0; i < group; i++) {
                rn[i] = Net.create(ref, mc, task, 70 + i, 1e-3);
                cn[i] = Net.create(cand, mc, task, 70 + i, 1e-3);
            }
            RnnModel[] models = new RnnModel[group];
            Workspace[] wss = new Workspace[group];
            for (int i = 0; i < group; i++) { models[i] = cn[i].model(); wss[i] = cn[i].ws(); }
            SplittableRandom[] data = new SplittableRandom[group];
            for (int i = 0; i < group; i++) data[i] = new SplittableRandom(2000 + i);
            TrialBatch[] tbs = new TrialBatch[group];
            for (int s = 0; s < steps; s++) {
                for (int i = 0; i < group; i++) tbs[i] = task.batch(32, data[i]);
                double[] lg = RnnModel.lossAndGradientsAll(models, wss, tbs, group);
                for (int i = 0; i < group; i++) {
                    cn[i].adam().step(models[i].params(), models[i].grads());
                    lock.loss(rn[i].step(tbs[i], 0), lg[i], i == 0);
                }
            }
            for (int i = 0; i < group; i++) lock.weights(ref.toDoubles(rn[i].model().params()), cand.toDoubles(cn[i].model().params()));
        } finally {
            for (int i = 0; i < group; i++) { if (rn[i] != null) rn[i].close(); if (cn[i] != null) cn[i].close(); }
        }
        Diff stack = stacked(ref, cand, task, steps);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("steps", steps);
        m.put("alone", alone.put(new LinkedHashMap<>(Map.of("networks", 6,
                "models", "4 standard + 2 mup (l1 1e-4), hidden 64, flipflop 3 channels T 50, batch 32, float32"))));
        m.put("lockstep", lock.put(new LinkedHashMap<>(Map.of("networks", group,
                "models", "4 standard in one lockstep group on the candidate, alone on the reference, hidden 64, T 50, batch 32"))));
        m.put("stacked", stack.put(new LinkedHashMap<>(Map.of("networks", STACK,
                "models", STACK + " standard as one stacked cohort on the candidate (learning rates 1e-3 to 2.5e-3), alone on the reference, hidden 64, T 50, batch 32"))));
        m.put("loss_tol_rel", TRAIN_LOSS_TOL_REL);
        m.put("weights_tol_abs", TRAIN_WEIGHTS_TOL_ABS);
        m.put("loss_max_rel_diff", Math.max(Math.max(alone.lossRel, lock.lossRel), stack.lossRel));
        m.put("weights_max_abs_diff", Math.max(Math.max(alone.wAbs, lock.wAbs), stack.wAbs));
        m.put("ok", alone.ok() && lock.ok() && stack.ok());
        return m;
    }

    static final int STACK = 4;

    /**
     * {@value #STACK} standard networks trained as one stacked {@link Cohort} on the candidate (issue 18,
     * Part 2: strided-batched products, element-wise calls over the stack, losses read once at the end)
     * against each trained alone on the reference, from the same weights and trials, each at its own
     * learning rate.
     */
    private static Diff stacked(Backend ref, Backend cand, Task task, int steps) {
        Diff d = new Diff();
        ModelConfig mc = ModelConfig.standard(64);
        Net[] rn = new Net[STACK];
        double[] lr = new double[STACK];
        try (Cohort c = new Cohort(cand, DType.F32, mc, task.inputSize(), task.outputSize(), STACK, 32, task.trialLength(), steps)) {
            for (int i = 0; i < STACK; i++) {
                lr[i] = 1e-3 * (1 + 0.5 * i);
                rn[i] = Net.create(ref, mc, task, 80 + i, lr[i]);
                c.importWeights(i, rn[i].model().exportWeights());
            }
            c.setLearningRates(lr);
            SplittableRandom[] data = new SplittableRandom[STACK];
            for (int i = 0; i < STACK; i++) data[i] = new SplittableRandom(3000 + i);
            double[][] alone = new double[steps][STACK];
            TrialBatch[] tbs = new TrialBatch[STACK];
            for (int s = 0; s < steps; s++) {
                for (int i = 0; i < STACK; i++) { tbs[i] = task.batch(32, data[i]); alone[s][i] = rn[i].step(tbs[i], 0); }
                c.step(tbs);
            }
            double[][] got = c.takeLosses();
            for (int s = 0; s < steps; s++) for (int i = 0; i < STACK; i++) d.loss(alone[s][i], got[s][i], i == 0);
            for (int i = 0; i < STACK; i++) {
                Map<String, io.degen.io.NdArray> w = c.exportWeights(i);
                double[] flat = new double[c.parameterCount()];
                for (RnnModel.Slice sl : c.layout().values()) System.arraycopy(w.get(sl.name()).data(), 0, flat, sl.offset(), sl.size());
                d.weights(ref.toDoubles(rn[i].model().params()), flat);
            }
        } finally {
            for (Net n : rn) if (n != null) n.close();
        }
        return d;
    }

    // ---- throughput -------------------------------------------------------------------------------

    /** Sizes of the throughput stage. */
    public record Sizes(int hidden, int batch, int time, int ensemble, int threads, int steps, int[] lockstep, int cpuThreads, int[] stackedHidden) {
        /** Without stacked rows at other widths than {@code hidden}. */
        public Sizes(int hidden, int batch, int time, int ensemble, int threads, int steps, int[] lockstep, int cpuThreads) {
            this(hidden, batch, time, ensemble, threads, steps, lockstep, cpuThreads, new int[] {hidden});
        }
    }

    /** Floating-point operations of one network-step (forward, BPTT, weight gradients) at these sizes. */
    public static double flopsPerNetworkStep(int hidden, int batch, int time, int io) {
        double h = hidden, tb = (double) batch * time;
        return 2 * tb * (3 * h * h + 2 * io * h + 3 * io * h);
    }

    /**
     * Network-steps per second of the candidate (standard RNN on flip-flop, float32, Adam; the best of
     * them at {@code hidden}, where the target is): networks
     * stepped one at a time on {@code threads} host threads ({@code per_network}), and K networks in
     * one lockstep group on one thread for each K in {@code lockstep} (gemmAll per time step, as
     * {@code train --ensemble K}); the CPU engine ({@code cpu}) on 2 threads and on {@code cpuThreads}
     * threads, one network per thread, as the baseline. One warm-up step (two on the CPU engine), then
     * {@code steps} timed, or more where a row would time fewer than 128 network-steps (at most 50).
     */
    public static Map<String, Object> throughput(Backend cand, Backend cpu, Sizes z) throws Exception {
        Task task = new FlipFlopTask(Map.of("channels", 3, "time", z.time()));
        ModelConfig mc = ModelConfig.standard(z.hidden());
        double flops = flopsPerNetworkStep(z.hidden(), z.batch(), z.time(), 3);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", "standard RNN, flipflop 3 channels, float32, Adam");
        m.put("hidden", z.hidden());
        m.put("batch", z.batch());
        m.put("time", z.time());
        m.put("min_timed_steps", z.steps());
        m.put("gflop_per_network_step", flops / 1e9);
        List<Map<String, Object>> rows = new ArrayList<>();
        int pn = steps(z.steps(), z.ensemble());
        rows.add(row("per_network", cand.name(), z.ensemble(), z.threads(), pn, flops,
                timeThreads(cand, task, mc, z.ensemble(), z.threads(), pn, 1, z.batch())));
        for (int k : z.lockstep()) {
            int st = steps(z.steps(), k);
            rows.add(row("lockstep", cand.name(), k, 1, st, flops, timeLockstep(cand, task, mc, k, st, z.batch())));
        }
        List<String> skipped = new ArrayList<>();
        for (int h : z.stackedHidden()) {
            double f = flopsPerNetworkStep(h, z.batch(), z.time(), 3);
            for (int k : z.lockstep()) {
                int st = steps(z.steps(), k);
                try {
                    Map<String, Object> r = row("stacked", cand.name(), k, 1, st, f, timeStacked(cand, task, ModelConfig.standard(h), k, st, z.batch()));
                    r.put("hidden", h);
                    rows.add(r);
                } catch (IllegalArgumentException | OutOfMemoryError e) {
                    skipped.add("stacked K=" + k + " H=" + h + ": " + e.getMessage());
                }
            }
        }
        if (!skipped.isEmpty()) m.put("skipped", skipped);
        // the CPU engine: two warm-up steps (the JIT), then the timed ones
        double cpu2 = timeThreads(cpu, task, mc, 2, 2, z.steps(), 2, z.batch());
        rows.add(row("per_network", cpu.name() + " (cpu baseline)", 2, 2, z.steps(), flops, cpu2));
        if (z.cpuThreads() > 2) {
            rows.add(row("per_network", cpu.name() + " (cpu baseline)", z.cpuThreads(), z.cpuThreads(), z.steps(), flops,
                    timeThreads(cpu, task, mc, z.cpuThreads(), z.cpuThreads(), z.steps(), 2, z.batch())));
        }
        m.put("rows", rows);
        double best = 0;
        for (Map<String, Object> r : rows) {
            boolean atHidden = !r.containsKey("hidden") || (Integer) r.get("hidden") == z.hidden();
            if (atHidden && !String.valueOf(r.get("engine")).contains("cpu baseline")) best = Math.max(best, (Double) r.get("network_steps_per_s"));
        }
        m.put("best_network_steps_per_s", best);
        m.put("speedup_vs_cpu2", best * cpu2 / 1000);
        m.put("note", "wall time of the timed steps (the slowest thread) / (steps x networks); each step uploads its trial batch and reads its loss");
        return m;
    }

    /** Timed steps for a row of K networks: at least {@code steps}, and at least 128 network-steps in all (at most 50 steps). */
    static int steps(int steps, int k) { return Math.max(steps, Math.min(50, (128 + k - 1) / Math.max(1, k))); }

    private static Map<String, Object> row(String mode, String engine, int networks, int threads, int steps, double flops, double msPerNetStep) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("mode", mode);
        r.put("engine", engine);
        r.put("networks", networks);
        r.put("threads", threads);
        r.put("timed_steps", steps);
        r.put("ms_per_network_step", msPerNetStep);
        r.put("network_steps_per_s", 1000 / msPerNetStep);
        r.put("gflops", flops / (msPerNetStep * 1e6));
        return r;
    }

    /** Forces every earlier call of this thread on this engine to finish (a host read). */
    private static void drain(Backend be, Net n) {
        double[] one = new double[1];
        be.download(n.model().params(), 0, one, 0, 1);
    }

    /** K networks of one thread in one lockstep group; ms per network-step. */
    static double timeLockstep(Backend be, Task task, ModelConfig mc, int k, int steps, int batch) {
        List<Net> nets = new ArrayList<>();
        try {
            SplittableRandom rng = new SplittableRandom(k);
            TrialBatch[] data = new TrialBatch[4];
            for (int i = 0; i < data.length; i++) data[i] = task.batch(batch, rng);
            RnnModel[] models = new RnnModel[k];
            Workspace[] wss = new Workspace[k];
            for (int i = 0; i < k; i++) {
                Net n = Net.create(be, mc, task, 900_000L + i, 1e-3);
                nets.add(n);
                models[i] = n.model();
                wss[i] = n.ws();
            }
            TrialBatch[] tbs = new TrialBatch[k];
            long t0 = 0;
            for (int s = -1; s < steps; s++) {            // s = -1: warm-up
                if (s == 0) { drain(be, nets.get(k - 1)); t0 = System.nanoTime(); }
                for (int i = 0; i < k; i++) tbs[i] = data[(i + Math.max(0, s)) % data.length];
                RnnModel.lossAndGradientsAll(models, wss, tbs, k);
                for (int i = 0; i < k; i++) nets.get(i).adam().step(models[i].params(), models[i].grads());
            }
            drain(be, nets.get(k - 1));
            return (System.nanoTime() - t0) / 1e6 / ((double) steps * k);
        } finally {
            for (Net n : nets) n.close();
        }
    }

    /**
     * K networks as one stacked {@link Cohort} on one thread (every network's trials assembled on the
     * host and uploaded in one transfer per step, losses read once at the end); ms per network-step.
     */
    static double timeStacked(Backend be, Task task, ModelConfig mc, int k, int steps, int batch) {
        SplittableRandom rng = new SplittableRandom(k);
        TrialBatch[] data = new TrialBatch[4];
        for (int i = 0; i < data.length; i++) data[i] = task.batch(batch, rng);
        try (Cohort c = new Cohort(be, DType.F32, mc, task.inputSize(), task.outputSize(), k, batch, data[0].time(), steps + 1)) {
            try (RnnModel m = model(be, DType.F32, mc, task, 900_000L)) {
                Map<String, io.degen.io.NdArray> w = m.exportWeights();
                for (int i = 0; i < k; i++) c.importWeights(i, w);
            }
            double[] lr = new double[k];
            java.util.Arrays.fill(lr, 1e-3);
            c.setLearningRates(lr);
            TrialBatch[] tbs = new TrialBatch[k];
            long t0 = 0;
            for (int s = -1; s < steps; s++) {            // s = -1: warm-up
                if (s == 0) { c.takeLosses(); t0 = System.nanoTime(); }
                for (int i = 0; i < k; i++) tbs[i] = data[(i + Math.max(0, s)) % data.length];
                c.step(tbs);
            }
            c.takeLosses();
            return (System.nanoTime() - t0) / 1e6 / ((double) steps * k);
        }
    }

    /** {@code ensemble} networks over {@code threads} threads, each stepping its own in turn; ms per network-step. */
    static double timeThreads(Backend be, Task task, ModelConfig mc, int ensemble, int threads, int steps, int warm, int batch)
            throws Exception {
        double[] wall = new double[threads];
        Throwable[] fail = new Throwable[1];
        CyclicBarrier ready = new CyclicBarrier(threads + 1), done = new CyclicBarrier(threads + 1);
        Thread[] ts = new Thread[threads];
        for (int w = 0; w < threads; w++) {
            final int wi = w;
            final int mine = ensemble / threads + (w < ensemble % threads ? 1 : 0);
            ts[w] = new Thread(() -> {
                List<Net> nets = new ArrayList<>();
                try {
                    SplittableRandom rng = new SplittableRandom(wi);
                    TrialBatch[] data = new TrialBatch[4];
                    for (int i = 0; i < data.length; i++) data[i] = task.batch(batch, rng);
                    for (int n = 0; n < mine; n++) nets.add(Net.create(be, mc, task, wi * 100_000L + n, 1e-3));
                    for (int s = 0; s < warm; s++) for (Net n : nets) n.step(data[s % data.length], 0);
                    if (!nets.isEmpty()) drain(be, nets.get(nets.size() - 1));
                    ready.await();
                    long t0 = System.nanoTime();
                    for (int s = 0; s < steps; s++) for (Net n : nets) n.step(data[s % data.length], 0);
                    if (!nets.isEmpty()) drain(be, nets.get(nets.size() - 1));
                    wall[wi] = (System.nanoTime() - t0) / 1e6;
                    done.await();
                } catch (Throwable e) {
                    synchronized (fail) { if (fail[0] == null || fail[0] instanceof BrokenBarrierException) fail[0] = e; }
                    ready.reset(); done.reset();
                } finally {
                    for (Net n : nets) n.close();
                }
            }, "throughput-" + w);
        }
        for (Thread t : ts) t.start();
        try {
            ready.await();
            done.await();
        } catch (BrokenBarrierException e) {
            // a worker failed; reported below
        }
        for (Thread t : ts) t.join();
        if (fail[0] != null) throw new IllegalStateException("ensemble timing failed: " + fail[0], fail[0]);
        double max = 0;
        for (double w : wall) max = Math.max(max, w);
        return max / ((double) steps * ensemble);
    }
}
