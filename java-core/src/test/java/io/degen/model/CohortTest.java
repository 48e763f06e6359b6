package io.degen.model;

import io.degen.backend.Backend;
import io.degen.backend.DType;
import io.degen.backend.JavaBackend;
import io.degen.config.ModelConfig;
import io.degen.io.NdArray;
import io.degen.task.FlipFlopTask;
import io.degen.task.Task;
import io.degen.task.TrialBatch;
import io.degen.train.Adam;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A stacked cohort computes, per network, what {@link StandardRnn} computes alone: losses, every
 * gradient, and Adam steps at per-network learning rates, to rounding (the weight gradients sum over
 * time steps in another order). Networks differ in weights and trials.
 */
class CohortTest {
    private final Backend be = new JavaBackend();
    private final Task task = new FlipFlopTask(Map.of("channels", 2, "time", 12));
    private static final int K = 3, HID = 8, B = 5;

    private RnnModel single(DType dt, int k) {
        RnnModel m = RnnModel.create(be, dt, ModelConfig.standard(HID), task.inputSize(), task.outputSize());
        m.initialise(new SplittableRandom(100 + k));
        return m;
    }

    private Cohort cohort(DType dt, RnnModel[] singles, int lossRows) {
        Cohort c = new Cohort(be, dt, ModelConfig.standard(HID), task.inputSize(), task.outputSize(), K, B, 12, lossRows);
        for (int k = 0; k < K; k++) c.importWeights(k, singles[k].exportWeights());
        return c;
    }

    private TrialBatch[] trials(SplittableRandom[] rng) {
        TrialBatch[] tbs = new TrialBatch[K];
        for (int k = 0; k < K; k++) tbs[k] = task.batch(B, rng[k]);
        return tbs;
    }

    private static SplittableRandom[] streams() {
        SplittableRandom[] r = new SplittableRandom[K];
        for (int k = 0; k < K; k++) r[k] = new SplittableRandom(7 + k);
        return r;
    }

    /** The largest |a - b| over the largest |b| of each named array. */
    private static double relDiff(Map<String, NdArray> a, Map<String, NdArray> b) {
        double worst = 0;
        for (String name : b.keySet()) {
            double[] x = a.get(name).data(), y = b.get(name).data();
            double d = 0, s = 0;
            for (int i = 0; i < y.length; i++) { d = Math.max(d, Math.abs(x[i] - y[i])); s = Math.max(s, Math.abs(y[i])); }
            worst = Math.max(worst, d / s);
        }
        return worst;
    }

    private Map<String, NdArray> gradients(RnnModel m) {
        Map<String, NdArray> g = new java.util.LinkedHashMap<>();
        for (var s : m.layout().values()) g.put(s.name(), new NdArray(new int[] {s.size()}, m.gradient(s.name()), "f8"));
        return g;
    }

    @Test void lossesAndGradientsEqualEachNetworkAlone() {
        RnnModel[] singles = new RnnModel[K];
        for (int k = 0; k < K; k++) singles[k] = single(DType.F64, k);
        try (Cohort c = cohort(DType.F64, singles, 4)) {
            SplittableRandom[] rng = streams();
            TrialBatch[] first = trials(rng), second = trials(rng);
            c.lossAndGradients(first);
            c.lossAndGradients(second);
            double[][] losses = c.takeLosses();
            assertEquals(2, losses.length);
            for (int k = 0; k < K; k++) {
                Workspace ws = singles[k].workspace();
                double l0 = singles[k].lossAndGradients(ws, first[k]);
                double l1 = singles[k].lossAndGradients(ws, second[k]);
                assertEquals(l0, losses[0][k], 1e-14 * l0, "loss of network " + k + ", step 0");
                assertEquals(l1, losses[1][k], 1e-14 * l1, "loss of network " + k + ", step 1");
                double d = relDiff(withFlatShapes(c.exportGradients(k)), gradients(singles[k]));
                assertTrue(d < 1e-13, "gradients of network " + k + " differ by " + d + " of their largest entry");
                ws.close();
            }
            assertEquals(0, c.takeLosses().length, "takeLosses empties the loss buffer");
        } finally {
            for (RnnModel m : singles) m.close();
        }
    }

    private static Map<String, NdArray> withFlatShapes(Map<String, NdArray> w) {
        Map<String, NdArray> f = new java.util.LinkedHashMap<>();
        w.forEach((n, a) -> f.put(n, new NdArray(new int[] {a.size()}, a.data(), "f8")));
        return f;
    }

    @Test void adamStepsAtPerNetworkLearningRatesEqualEachNetworkAlone() {
        for (DType dt : new DType[] {DType.F64, DType.F32}) {
            double[] lr = {1e-2, 3e-3, 0};
            RnnModel[] singles = new RnnModel[K];
            Adam[] adams = new Adam[K];
            for (int k = 0; k < K; k++) { singles[k] = single(dt, k); adams[k] = new Adam(be, dt, singles[k].parameterCount(), lr[k]); }
            Map<String, NdArray> frozen = singles[2].exportWeights();
            try (Cohort c = cohort(dt, singles, 8)) {
                c.setLearningRates(lr);
                SplittableRandom[] rng = streams();
                double[][] alone = new double[8][K];
                Workspace[] wss = new Workspace[K];
                for (int k = 0; k < K; k++) wss[k] = singles[k].workspace();
                for (int s = 0; s < 8; s++) {
                    TrialBatch[] tbs = trials(rng);
                    c.step(tbs);
                    for (int k = 0; k < K; k++) {
                        alone[s][k] = singles[k].lossAndGradients(wss[k], tbs[k]);
                        adams[k].step(singles[k].params(), singles[k].grads());
                    }
                }
                double[][] losses = c.takeLosses();
                double lossTol = dt == DType.F64 ? 1e-12 : 2e-5, wTol = dt == DType.F64 ? 1e-11 : 1e-5;
                for (int s = 0; s < 8; s++) {
                    for (int k = 0; k < K; k++) {
                        assertEquals(alone[s][k], losses[s][k], lossTol * alone[s][k], dt + " loss of network " + k + " at step " + s);
                    }
                }
                for (int k = 0; k < K; k++) {
                    double d = relDiff(c.exportWeights(k), singles[k].exportWeights());
                    assertTrue(d < wTol, dt + ": weights of network " + k + " after 8 steps differ by " + d);
                }
                double moved = relDiff(c.exportWeights(0), frozen);
                assertTrue(moved > 1e-3, "the test's networks differ: " + moved);
                assertEquals(0.0, relDiff(c.exportWeights(2), frozen), "a network at learning rate 0 does not move");
                assertEquals(8, c.steps());
                for (Workspace w : wss) w.close();
            } finally {
                for (int k = 0; k < K; k++) { singles[k].close(); adams[k].close(); }
            }
        }
    }

    @Test void aRebuiltCohortGoesOnAsTheOldOne() {
        RnnModel[] singles = new RnnModel[K];
        for (int k = 0; k < K; k++) singles[k] = single(DType.F64, k);
        try (Cohort full = cohort(DType.F64, singles, 8); Cohort twin = cohort(DType.F64, singles, 8)) {
            double[] lr = {1e-2, 3e-3, 5e-3};
            full.setLearningRates(lr);
            twin.setLearningRates(lr);
            SplittableRandom[] rng = streams();
            for (int s = 0; s < 3; s++) { TrialBatch[] tbs = trials(rng); full.step(tbs); twin.step(tbs); }
            full.takeLosses();
            twin.takeLosses();
            twin.keepWeights();
            try (Cohort part = twin.keep(new int[] {2, 0})) {
                part.setLearningRates(new double[] {lr[2], lr[0]});
                assertEquals(3, part.steps());
                for (int s = 0; s < 3; s++) {
                    TrialBatch[] tbs = trials(rng);
                    full.step(tbs);
                    part.step(new TrialBatch[] {tbs[2], tbs[0]});
                }
                assertEquals(0.0, relDiff(part.exportWeights(0), full.exportWeights(2)), "row 0 of the rebuilt cohort is network 2");
                assertEquals(0.0, relDiff(part.exportWeights(1), full.exportWeights(0)), "row 1 is network 0");
                assertTrue(relDiff(twin.exportKeptWeights(0), full.exportWeights(0)) > 1e-4, "kept weights are those of step 3");
            }
        } finally {
            for (RnnModel m : singles) m.close();
        }
    }

    @Test void aNullTrialBatchKeepsThatNetworksTrials() {
        RnnModel[] singles = new RnnModel[K];
        for (int k = 0; k < K; k++) singles[k] = single(DType.F64, k);
        try (Cohort c = cohort(DType.F64, singles, 2)) {
            SplittableRandom[] rng = streams();
            TrialBatch[] tbs = trials(rng);
            c.lossAndGradients(tbs);
            TrialBatch[] next = trials(rng);
            next[1] = null;
            c.lossAndGradients(next);
            double[][] l = c.takeLosses();
            assertEquals(l[0][1], l[1][1], 0.0, "network 1 scored its previous trials again");
            assertNotEquals(l[0][0], l[1][0]);
        } finally {
            for (RnnModel m : singles) m.close();
        }
    }

    @Test void badShapesAndSizesAreClearErrors() {
        ModelConfig mc = ModelConfig.standard(HID);
        var e = assertThrows(IllegalArgumentException.class,
                () -> new Cohort(be, DType.F32, ModelConfig.mup(HID, 1.0), 3, 3, 2, 4, 10, 1));
        assertTrue(e.getMessage().contains("model.type") && e.getMessage().contains("mup"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Cohort(be, DType.F32, ModelConfig.standard(512), 3, 3, 2048, 64, 100, 1));
        assertTrue(e.getMessage().contains("states") && e.getMessage().contains("--ensemble"), e.getMessage());
        try (Cohort c = new Cohort(be, DType.F64, mc, task.inputSize(), task.outputSize(), 2, B, 12, 1)) {
            TrialBatch wrong = new FlipFlopTask(Map.of("channels", 2, "time", 13)).batch(B, new SplittableRandom(1));
            e = assertThrows(IllegalArgumentException.class, () -> c.lossAndGradients(new TrialBatch[] {wrong, wrong}));
            assertTrue(e.getMessage().contains("T=13") && e.getMessage().contains("T=12"), e.getMessage());
            TrialBatch ok = task.batch(B, new SplittableRandom(1));
            e = assertThrows(IllegalArgumentException.class, () -> c.lossAndGradients(new TrialBatch[] {ok}));
            assertTrue(e.getMessage().contains("2 networks but 1"), e.getMessage());
            c.lossAndGradients(new TrialBatch[] {ok, ok});
            var full = assertThrows(IllegalStateException.class, () -> c.lossAndGradients(new TrialBatch[] {ok, ok}));
            assertTrue(full.getMessage().contains("takeLosses"), full.getMessage());
        }
    }
}
