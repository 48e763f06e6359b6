package io.degen.train;

import io.degen.backend.Backend;
import io.degen.backend.DType;
import io.degen.backend.JavaBackend;
import io.degen.config.ModelConfig;
import io.degen.config.RunConfig;
import io.degen.config.RunStatus;
import io.degen.config.TrainConfig;
import io.degen.io.NdArray;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Seeds trained as one stacked cohort get, to rounding, what each gets trained alone: status, epochs,
 * loss curve and weights, also after the stack is rebuilt without the networks that finished.
 */
class StackedTrainerTest {
    /** Float64 so that the cohort's other summation order stays far below the tolerances over 40 epochs of chaotic training. */
    static RunConfig run(long seed, double l1, double nuclear) {
        return new RunConfig(Map.of("type", "flipflop", "channels", 1, "time", 30, "p", 0.15), ModelConfig.standard(24),
                new TrainConfig(1e-2, 16, 16, 40, 4e-2, 1, 0.5, 40, nuclear, l1, DType.F64), seed);
    }

    private static double maxRel(Map<String, NdArray> a, Map<String, NdArray> b) {
        double worst = 0;
        for (String n : b.keySet()) {
            double[] x = a.get(n).data(), y = b.get(n).data();
            double d = 0, s = 0;
            for (int i = 0; i < y.length; i++) { d = Math.max(d, Math.abs(x[i] - y[i])); s = Math.max(s, Math.abs(y[i])); }
            worst = Math.max(worst, d / s);
        }
        return worst;
    }

    private static void assertClose(TrainResult alone, TrainResult stacked, double tol, String what) {
        assertEquals(alone.status(), stacked.status(), what);
        assertEquals(alone.epochs(), stacked.epochs(), what);
        for (int e = 0; e < alone.epochs(); e++) {
            assertEquals(alone.lossCurve()[e], stacked.lossCurve()[e], tol * alone.lossCurve()[e], what + " epoch " + e);
        }
        assertEquals(alone.finalLoss(), stacked.finalLoss(), tol * alone.finalLoss(), what);
        assertEquals(0.0, maxRel(stacked.initialWeights(), alone.initialWeights()), what + ": initial weights");
        double w = maxRel(stacked.finalWeights(), alone.finalWeights());
        assertTrue(w < tol, what + ": final weights differ by " + w);
    }

    private static List<TrainResult> stacked(Backend be, List<RunConfig> runs, List<Integer> order) {
        return new StackedTrainer(be).train(runs, null, (i, r) -> order.add(i));
    }

    /**
     * Whole trainings (up to 40 epochs of 16 steps) are compared at 1e-6: the difference in summation
     * order is ~1e-16 per step and grows with training's sensitivity (~4e-8 after 20 epochs here); a
     * wrong gradient, learning rate or rebuild would differ at O(1). Two epochs are compared at 1e-11.
     */
    @Test void stackedEqualsAloneToRoundingAcrossRebuilds() {
        Backend be = new JavaBackend();
        List<RunConfig> runs = new ArrayList<>();
        for (long s = 0; s < 4; s++) runs.add(run(s, 0, 0));
        List<Integer> order = new ArrayList<>();
        List<TrainResult> st = stacked(be, runs, order);
        Set<Integer> epochs = new HashSet<>();
        for (int i = 0; i < runs.size(); i++) {
            TrainResult alone = new Trainer(be).train(runs.get(i), null);
            assertClose(alone, st.get(i), 1e-6, "seed " + i);
            epochs.add(alone.epochs());
            assertEquals("java", st.get(i).backend());
        }
        assertTrue(epochs.size() > 2, "the test needs seeds that finish at 3 or more epochs (a rebuilt stack), got " + epochs);
        assertEquals(runs.size(), new HashSet<>(order).size(), "every network reports once");
        List<RunConfig> shortRuns = new ArrayList<>();
        for (RunConfig r : runs) shortRuns.add(new RunConfig(r.taskOptions(), r.model(), r.train().withMaxEpochs(2), r.seed()));
        List<TrainResult> sh = stacked(be, shortRuns, new ArrayList<>());
        for (int i = 0; i < shortRuns.size(); i++) assertClose(new Trainer(be).train(shortRuns.get(i), null), sh.get(i), 1e-11, "two epochs, seed " + i);
    }

    @Test void penaltiesApplyPerNetwork() {
        Backend be = new JavaBackend();
        // Three epochs: sign(w) of L1 jumps where a weight crosses zero, so rounding grows faster than without it.
        List<RunConfig> runs = new ArrayList<>();
        for (RunConfig r : List.of(run(5, 1e-4, 0), run(6, 1e-4, 0), run(7, 0, 1e-3), run(8, 0, 1e-3))) {
            runs.add(new RunConfig(r.taskOptions(), r.model(), r.train().withMaxEpochs(3), r.seed()));
        }
        for (List<RunConfig> pair : List.of(runs.subList(0, 2), runs.subList(2, 4))) {
            List<TrainResult> st = stacked(be, pair, new ArrayList<>());
            for (int i = 0; i < pair.size(); i++) {
                TrainResult alone = new Trainer(be).train(pair.get(i), null);
                assertClose(alone, st.get(i), 1e-10, "penalised seed " + pair.get(i).seed());
                RunConfig plain = new RunConfig(pair.get(i).taskOptions(), pair.get(i).model(), pair.get(i).train().withRegularisers(0, 0), pair.get(i).seed());
                double moved = maxRel(new Trainer(be).train(plain, null).finalWeights(), alone.finalWeights());
                assertTrue(moved > 1e-6, "the penalty changes the weights (" + moved + ")");
            }
        }
    }

    /** Flip-flop trials whose targets turn NaN from the 11th batch of each data stream on (a fault mid-training, per network). */
    static final class PoisonedPerStream implements io.degen.task.Task {
        private final io.degen.task.Task inner = io.degen.task.TaskRegistry.create(Map.of("type", "flipflop", "channels", 1, "time", 10));
        private final Map<java.util.SplittableRandom, Integer> calls = new java.util.IdentityHashMap<>();

        @Override public String type() { return "poisoned-per-stream"; }
        @Override public int inputSize() { return 1; }
        @Override public int outputSize() { return 1; }
        @Override public int trialLength() { return 10; }
        @Override public double threshold() { return 1e-9; }
        @Override public Map<String, Object> options() { return Map.of("type", "poisoned-per-stream"); }
        @Override public io.degen.task.TrialBatch oodBatch(int n, java.util.SplittableRandom rng) { return inner.oodBatch(n, rng); }

        @Override public io.degen.task.TrialBatch batch(int n, java.util.SplittableRandom rng) {
            io.degen.task.TrialBatch b = inner.batch(n, rng);
            if (calls.merge(rng, 1, Integer::sum) > 10) java.util.Arrays.fill(b.target(), Double.NaN);
            return b;
        }
    }

    @Test void aDivergedNetworkLeavesWithTheWeightsItHadWhenItsEpochBegan() {
        Backend be = new JavaBackend();
        io.degen.task.TaskRegistry.register("poisoned-per-stream", o -> new PoisonedPerStream());
        TrainConfig tc = TrainConfig.defaults().withBatch(4).withStepsPerEpoch(4).withMaxEpochs(50).withDtype(DType.F64);
        List<RunConfig> runs = new ArrayList<>();
        for (long s = 0; s < 3; s++) runs.add(new RunConfig(Map.of("type", "poisoned-per-stream"), ModelConfig.standard(8), tc, s));
        List<TrainResult> st = stacked(be, runs, new ArrayList<>());
        for (int i = 0; i < runs.size(); i++) {
            TrainResult alone = new Trainer(be).train(runs.get(i), null);
            assertEquals(RunStatus.DIVERGED, alone.status(), "the test needs diverging seeds");
            assertEquals(3, alone.epochs(), "batch 11 is in epoch 3");
            assertEquals(RunStatus.DIVERGED, st.get(i).status());
            assertEquals(3, st.get(i).epochs());
            assertTrue(Double.isNaN(st.get(i).finalLoss()));
            assertEquals(alone.lossCurve()[0], st.get(i).lossCurve()[0], 1e-12 * alone.lossCurve()[0]);
            TrainResult twoEpochs = new Trainer(be).train(new RunConfig(runs.get(i).taskOptions(), runs.get(i).model(), tc.withMaxEpochs(2), i), null);
            double w = maxRel(st.get(i).finalWeights(), twoEpochs.finalWeights());
            assertTrue(w < 1e-11, "seed " + i + ": the stored weights are those after two epochs, to rounding; differ by " + w);
        }
    }

    @Test void unsupportedRunsAreNamed() {
        RunConfig mup = new RunConfig(Map.of("type", "flipflop", "channels", 2, "time", 20), ModelConfig.mup(16, 1.0),
                TrainConfig.defaults(), 0);
        assertTrue(StackedTrainer.unsupported(mup).contains("mup"));
        assertNull(StackedTrainer.unsupported(run(0, 0, 0)));
        var e = assertThrows(IllegalArgumentException.class, () -> new StackedTrainer(new JavaBackend()).train(List.of(mup), null, null));
        assertTrue(e.getMessage().contains("stacked") && e.getMessage().contains("mup"), e.getMessage());
    }
}
