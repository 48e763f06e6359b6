package io.degen.train;

import io.degen.config.TrainConfig;
import io.degen.config.RunStatus;
import io.degen.backend.Backend;
import io.degen.backend.DType;
import io.degen.backend.JavaBackend;
import io.degen.config.ModelConfig;
import io.degen.model.RnnModel;
import io.degen.model.Workspace;
import io.degen.config.RunConfig;
import io.degen.pipeline.TrainingPool;
import io.degen.store.RunArtifacts;
import io.degen.task.TrialBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class TrainerTest {
    private final Backend be = new JavaBackend();
    private static final PrintStream QUIET = new PrintStream(java.io.OutputStream.nullOutputStream());

    static RunConfig tiny(long seed, int maxEpochs) {
        return new RunConfig(Map.of("type", "flipflop", "channels", 1, "time", 30, "p", 0.15), ModelConfig.standard(16),
                TrainConfig.defaults().withLr(1e-2).withBatch(16).withStepsPerEpoch(16).withMaxEpochs(maxEpochs), seed);
    }

    @Test
    void sameSeedGivesIdenticalWeightsRegardlessOfWorkers(@TempDir Path dir) throws Exception {
        List<RunConfig> runs = List.of(tiny(0, 3), tiny(1, 3), tiny(2, 3));
        var one = new TrainingPool(be, 1, QUIET).train(runs, dir.resolve("a"), null);
        var two = new TrainingPool(be, 2, QUIET).train(List.of(runs.get(2), runs.get(0)), dir.resolve("b"), null);
        var w1 = RunArtifacts.read(one.get(2).dir()).weights().get("weight_hh_l0").data();
        var w2 = RunArtifacts.read(two.get(0).dir()).weights().get("weight_hh_l0").data();
        assertArrayEquals(w1, w2);
        var w0 = RunArtifacts.read(one.get(0).dir()).weights().get("weight_hh_l0").data();
        assertFalse(java.util.Arrays.equals(w0, w1), "different seeds must differ");
    }

    @Test
    void tinyFlipFlopConvergesAndLossFalls() {
        RunConfig r = new RunConfig(Map.of("type", "flipflop", "channels", 1, "time", 30, "p", 0.15), ModelConfig.standard(24),
                new TrainConfig(1e-2, 32, 32, 120, 2e-2, 3, 0.5, 40, 0, 0, DType.F32), 0);
        TrainResult res = new Trainer(be).train(r, null);
        assertEquals(RunStatus.CONVERGED, res.status(), "final loss " + res.finalLoss());
        assertTrue(res.lossCurve()[0] > 5 * res.finalLoss(), "loss did not fall: " + res.lossCurve()[0] + " -> " + res.finalLoss());
        // Three epochs of patience after the threshold was first reached.
        int first = -1;
        for (int e = 0; e < res.lossCurve().length; e++) if (res.lossCurve()[e] < 2e-2) { first = e; break; }
        assertEquals(first + 4, res.epochs());
    }

    /**
     * With an auxiliary loss the stopping rule watches the task's own (sign) outputs; the auxiliary
     * outputs' loss is recorded beside it; the rule is in the configuration, so such runs have ids
     * apart from the runs of earlier versions (which stopped on all outputs and name no rule).
     */
    @Test
    void auxiliaryLossStopsOnTheTasksOwnOutputs(@TempDir Path dir) throws Exception {
        Map<String, Object> task = Map.of("type", "delayed-discrimination", "aux", true, "delay-max", 6);
        TrainConfig tc = new TrainConfig(1e-2, 8, 4, 3, 1e-9, 1, 0.5, 40, 0, 0, DType.F32);
        RunConfig r = new RunConfig(task, ModelConfig.standard(8), tc, 0);
        assertEquals("task-outputs", r.train().stopOn());
        assertEquals("task-outputs", ((Map<?, ?>) r.toMap().get("train")).get("stop-on"));
        RunConfig legacy = RunConfig.fromMap(withoutStopRule(r.toMap()));
        assertNull(legacy.train().stopOn(), "a stored configuration without a rule keeps the old rule");
        assertNotEquals(r.id(), legacy.id());
        RunConfig plain = new RunConfig(Map.of("type", "delayed-discrimination"), ModelConfig.standard(8), tc, 0);
        assertNull(plain.train().stopOn(), "a task without auxiliary outputs names no rule (its id is unchanged)");
        assertFalse(((Map<?, ?>) plain.toMap().get("train")).containsKey("stop-on"));

        TrainResult res = new Trainer(be).train(r, null);
        assertNotNull(res.auxLossCurve());
        assertEquals(res.lossCurve().length, res.auxLossCurve().length);
        // The watched loss and the auxiliary loss are the two halves of the trained loss: check one step by hand.
        var tb = r.task().batch(8, new java.util.SplittableRandom(1));
        double[] out = new double[tb.target().length];
        double[] split = StoppingRule.splitLoss(out, tb, r.task().primaryOutputs());
        double sp = 0, np = 0, sa = 0, na = 0;
        for (int i = 0; i < out.length; i++) {
            if (i % tb.outputs() < 1) { sp += tb.mask()[i] * tb.target()[i] * tb.target()[i]; np += tb.mask()[i]; }
            else { sa += tb.mask()[i] * tb.target()[i] * tb.target()[i]; na += tb.mask()[i]; }
        }
        assertEquals(sp / np, split[0], 1e-15);
        assertEquals(sa / na, split[1], 1e-15);
        Path d = RunArtifacts.write(dir, r, res);
        var rec = RunArtifacts.read(d).record();
        assertEquals(res.auxLossCurve()[res.epochs() - 1], rec.finalAuxLoss(), 0.0);
        assertTrue(java.nio.file.Files.isRegularFile(d.resolve(RunArtifacts.AUX_LOSS)));
        assertNull(new Trainer(be).train(plain, null).auxLossCurve());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> withoutStopRule(Map<String, Object> config) {
        Map<String, Object> c = new java.util.LinkedHashMap<>(config);
        Map<String, Object> t = new java.util.LinkedHashMap<>((Map<String, Object>) c.get("train"));
        t.remove("stop-on");
        c.put("train", t);
        return c;
    }

    /** A task whose data turns non-finite after some batches: a numerical fault mid-training. */
    static final class PoisonedTask implements io.degen.task.Task {
        private final io.degen.task.Task inner = io.degen.task.TaskRegistry.create(Map.of("type", "flipflop", "channels", 1, "time", 10));
        private int calls;

        @Override public String type() { return "poisoned"; }
        @Override public int inputSize() { return 1; }
        @Override public int outputSize() { return 1; }
        @Override public int trialLength() { return 10; }
        @Override public double threshold() { return 1e-9; }
        @Override public Map<String, Object> options() { return Map.of("type", "poisoned"); }
        @Override public TrialBatch oodBatch(int n, SplittableRandom rng) { return inner.oodBatch(n, rng); }

        @Override public TrialBatch batch(int n, SplittableRandom rng) {
            TrialBatch b = inner.batch(n, rng);
            if (++calls > 20) java.util.Arrays.fill(b.target(), Double.NaN);
            return b;
        }
    }

    @Test
    void nonFiniteLossMarksTheNetworkDivergedWithoutCrashing() {
        io.degen.task.TaskRegistry.register("poisoned", o -> new PoisonedTask());
        RunConfig r = new RunConfig(Map.of("type", "poisoned"), ModelConfig.standard(8),
                TrainConfig.defaults().withBatch(4).withStepsPerEpoch(8).withMaxEpochs(50), 0);
        TrainResult res = new Trainer(be).train(r, null);
        assertEquals(RunStatus.DIVERGED, res.status());
        assertEquals(3, res.epochs(), "stops in the epoch where the loss became NaN");
        assertTrue(Double.isNaN(res.finalLoss()));
    }

    @Test
    void epochCapMeansNotConverged() {
        TrainResult res = new Trainer(be).train(tiny(0, 1), null);
        assertEquals(RunStatus.NOT_CONVERGED, res.status());
        assertEquals(1, res.epochs());
    }

    /** Finite differences of loss + penalties against BPTT + regulariser gradients, float64. */
    @Test
    void regularisedGradientsMatchFiniteDifferences() {
        for (String type : new String[] {"standard", "mup"}) {
            ModelConfig mc = type.equals("standard") ? ModelConfig.standard(7) : ModelConfig.mup(7, 2.0);
            var task = io.degen.task.TaskRegistry.create(Map.of("type", "delayed-discrimination", "aux", true, "delay-max", 6));
            TrialBatch tb = task.batch(3, new SplittableRandom(5));
            RnnModel m = RnnModel.create(be, DType.F64, mc, task.inputSize(), task.outputSize());
            m.initialise(new SplittableRandom(9));
            double nuc = 0.03, l1 = 0.02;
            Workspace ws = m.workspace();
            m.lossAndGradients(ws, tb);
            Regularisers.apply(m, nuc, l1);
            double[] g = JavaBackend.doubles(m.grads()).clone();
            double[] p = JavaBackend.doubles(m.params());
            double h = 1e-6, worst = 0;
            for (int i = 0; i < p.length; i += 3) {
                double keep = p[i];
                p[i] = keep + h;
                double up = m.loss(ws, tb) + penalty(m, nuc, l1);
                p[i] = keep - h;
                double dn = m.loss(ws, tb) + penalty(m, nuc, l1);
                p[i] = keep;
                double fd = (up - dn) / (2 * h);
                worst = Math.max(worst, Math.abs(fd - g[i]) / Math.max(1e-4, Math.abs(fd)));
            }
            assertTrue(worst < 1e-5, type + ": worst relative error " + worst);
        }
    }

    private static double penalty(RnnModel m, double nuc, double l1) {
        double[] w = m.parameter(m.recurrentName());
        var s = m.slice(m.recurrentName());
        double sumAbs = 0;
        for (double v : w) sumAbs += Math.abs(v);
        double sv = 0;
        for (double x : m.backend().svd(s.rows(), s.cols(), w).s()) sv += x;
        return nuc * sv + l1 * sumAbs;
    }
}
