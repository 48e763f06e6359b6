package io.degen.train;

import io.degen.config.TrainConfig;
import io.degen.backend.Backend;
import io.degen.backend.Backends;
import io.degen.backend.DType;
import io.degen.backend.JavaBackend;
import io.degen.io.NdArray;
import io.degen.config.ModelConfig;
import io.degen.config.RunConfig;
import io.degen.pipeline.TrainingPool;
import io.degen.store.RunArtifacts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Seeds of one condition trained together in lockstep get the numbers they get alone. */
class EnsembleTrainingTest {
    private static final PrintStream QUIET = new PrintStream(java.io.OutputStream.nullOutputStream());

    /** Threshold chosen so that the seeds converge at different epochs and leave the group one by one. */
    static RunConfig standard(long seed) {
        return new RunConfig(Map.of("type", "flipflop", "channels", 1, "time", 30, "p", 0.15), ModelConfig.standard(24),
                new TrainConfig(1e-2, 16, 16, 40, 4e-2, 1, 0.5, 40, 0, 0, DType.F32), seed);
    }

    static RunConfig mup(long seed) {
        return new RunConfig(Map.of("type", "flipflop", "channels", 2, "time", 20), ModelConfig.mup(16, 1.0),
                new TrainConfig(3e-2, 8, 8, 3, Double.NaN, 3, 0.5, 40, 0, 1e-4, DType.F32), seed);
    }

    static List<TrainResult> together(Backend be, List<RunConfig> runs) {
        List<Integer> order = new ArrayList<>();
        List<TrainResult> res = new Trainer(be).train(runs, null, (i, r) -> order.add(i));
        assertEquals(runs.size(), order.size(), "every network reports once");
        return res;
    }

    static void assertSame(TrainResult alone, TrainResult grouped, double tol, String what) {
        assertEquals(alone.status(), grouped.status(), what);
        assertEquals(alone.epochs(), grouped.epochs(), what);
        assertArrayEquals(alone.lossCurve(), grouped.lossCurve(), tol * 10, what);
        for (Map.Entry<String, NdArray> e : alone.finalWeights().entrySet()) {
            assertArrayEquals(e.getValue().data(), grouped.finalWeights().get(e.getKey()).data(), tol, what + " " + e.getKey());
        }
    }

    @Test
    void lockstepEqualsAloneBitForBitOnTheJavaEngine() {
        Backend be = new JavaBackend();
        List<RunConfig> runs = List.of(standard(0), standard(1), standard(2), standard(3));
        List<TrainResult> grouped = together(be, runs);
        java.util.Set<Integer> epochs = new java.util.HashSet<>();
        for (int i = 0; i < runs.size(); i++) {
            TrainResult alone = new Trainer(be).train(runs.get(i), null);
            assertSame(alone, grouped.get(i), 0.0, "seed " + i);
            epochs.add(alone.epochs());
        }
        assertTrue(epochs.size() > 1, "the test needs seeds that leave the group at different epochs, got " + epochs);
        // Independent of the group size and of the other members.
        List<TrainResult> pair = together(be, List.of(runs.get(3), runs.get(1)));
        assertSame(grouped.get(3), pair.get(0), 0.0, "seed 3 in a group of 2");
        assertSame(grouped.get(1), pair.get(1), 0.0, "seed 1 in a group of 2");
    }

    @Test
    void lockstepMupWithL1EqualsAlone() {
        Backend be = new JavaBackend();
        List<RunConfig> runs = List.of(mup(5), mup(6), mup(7));
        List<TrainResult> grouped = together(be, runs);
        for (int i = 0; i < runs.size(); i++) assertSame(new Trainer(be).train(runs.get(i), null), grouped.get(i), 0.0, "muP seed " + i);
    }

    @Test
    void lockstepOnMklMatchesAloneToRounding() {
        String reason = Backends.unavailableReason("mkl");
        assumeTrue(reason == null, () -> "mkl skipped: " + reason);
        try (Backend be = Backends.create("mkl")) {
            // Two epochs: training is chaotic, so compare before rounding differences could grow.
            List<RunConfig> runs = new ArrayList<>();
            for (long s = 0; s < 3; s++) {
                RunConfig r = standard(s);
                runs.add(new RunConfig(r.taskOptions(), r.model(), r.train().withMaxEpochs(2), s));
            }
            List<TrainResult> grouped = together(be, runs);
            for (int i = 0; i < runs.size(); i++) assertSame(new Trainer(be).train(runs.get(i), null), grouped.get(i), 1e-4, "mkl seed " + i);
        }
    }

    @Test
    void groupsMustShareTheirCondition() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Trainer(new JavaBackend()).train(List.of(standard(0), mup(1)), null, null));
        assertTrue(e.getMessage().contains("differ only in seed") && e.getMessage().contains("run 1"), e.getMessage());
    }

    @Test
    void poolTrainsEnsemblesWithTheSameArtifactsAsSingleRuns(@TempDir Path dir) throws Exception {
        Backend be = new JavaBackend();
        List<RunConfig> runs = List.of(standard(0), mup(0), standard(1), mup(1), standard(2));
        var single = new TrainingPool(be, 1, QUIET).train(runs, dir.resolve("a"), null);
        var grouped = new TrainingPool(be, 2, 3, QUIET).train(runs, dir.resolve("b"), null);
        assertEquals(runs.size(), grouped.size());
        for (int i = 0; i < runs.size(); i++) {
            assertEquals(runs.get(i).id(), grouped.get(i).run().id(), "outcomes keep the run order");
            String name = runs.get(i).model().type().equals("mup") ? "J" : "weight_hh_l0";
            assertArrayEquals(RunArtifacts.read(single.get(i).dir()).weights().get(name).data(),
                    RunArtifacts.read(grouped.get(i).dir()).weights().get(name).data(), "run " + i);
        }
        assertThrows(IllegalArgumentException.class, () -> new TrainingPool(be, 1, 0, QUIET));
    }

    /** A task that fails at once: an unexpected error in one worker. */
    static final class BrokenTask implements io.degen.task.Task {
        @Override public String type() { return "broken"; }
        @Override public int inputSize() { return 1; }
        @Override public int outputSize() { return 1; }
        @Override public int trialLength() { return 10; }
        @Override public double threshold() { return 1e-9; }
        @Override public Map<String, Object> options() { return Map.of("type", "broken"); }
        @Override public io.degen.task.TrialBatch oodBatch(int n, java.util.SplittableRandom rng) { throw new IllegalStateException("broken task"); }
        @Override public io.degen.task.TrialBatch batch(int n, java.util.SplittableRandom rng) { throw new IllegalStateException("broken task"); }
    }

    @Test
    void aFailedRunStopsTheOtherWorkersBeforeThePoolReturns(@TempDir Path dir) throws Exception {
        io.degen.task.TaskRegistry.register("broken", o -> new BrokenTask());
        RunConfig broken = new RunConfig(Map.of("type", "broken"), ModelConfig.standard(4), TrainConfig.defaults().withBatch(2), 0);
        // Never converges within the test's lifetime: only an interruption ends it.
        RunConfig endless = new RunConfig(Map.of("type", "flipflop", "channels", 1, "time", 10), ModelConfig.standard(4),
                new TrainConfig(1e-3, 4, 4, 1_000_000, 1e-12, 3, 0.5, 40, 0, 0, DType.F32), 0);
        // The endless run starts first so that it is training when the broken one fails.
        // Without interruption the endless run would hold the pool for minutes.
        IllegalStateException e = assertTimeoutPreemptively(java.time.Duration.ofSeconds(30), () -> assertThrows(IllegalStateException.class,
                () -> new TrainingPool(new JavaBackend(), 2, QUIET).train(List.of(endless, broken), dir, null)));
        assertTrue(e.getMessage().contains("broken task"), e.getMessage());
        // Its worker must be gone (it would otherwise train on, and could be killed mid-write at exit).
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (trainingThreadAlive() && System.nanoTime() < deadline) Thread.sleep(10);
        assertFalse(trainingThreadAlive(), "a training worker is still running after the pool returned");
        try (var files = java.nio.file.Files.list(dir)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().startsWith(".tmp")), "no half-written network left");
        }
    }

    private static boolean trainingThreadAlive() {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("train") && t.isAlive());
    }
}
