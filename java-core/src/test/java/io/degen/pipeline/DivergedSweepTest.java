package io.degen.pipeline;

import io.degen.store.StoredRun;
import io.degen.backend.Backend;
import io.degen.backend.Backends;
import io.degen.plan.ExperimentSpec;
import io.degen.plan.Plan;
import io.degen.config.RunConfig;
import io.degen.store.Catalog;
import io.degen.store.RunArtifacts;
import io.degen.task.Task;
import io.degen.task.TaskRegistry;
import io.degen.task.TrialBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/** A network whose loss becomes NaN is stored as diverged and the sweep goes on; memory too small is refused before training. */
class DivergedSweepTest {
    /** Flip-flop whose targets become NaN after a few batches when {@code poison} is 1. */
    static final class MaybePoisoned implements Task {
        private final Task inner = TaskRegistry.create(Map.of("type", "flipflop", "channels", 1, "time", 10));
        private final boolean poison;
        private int calls;

        MaybePoisoned(Map<String, ?> o) { poison = o.get("poison") instanceof Number n && n.intValue() == 1; }

        @Override public String type() { return "maybe-poisoned"; }
        @Override public int inputSize() { return 1; }
        @Override public int outputSize() { return 1; }
        @Override public int trialLength() { return 10; }
        @Override public double threshold() { return 10.0; }
        @Override public Map<String, Object> options() { return Map.of("type", "maybe-poisoned", "poison", poison ? 1 : 0); }
        @Override public TrialBatch oodBatch(int n, SplittableRandom rng) { return inner.oodBatch(n, rng); }

        @Override public TrialBatch batch(int n, SplittableRandom rng) {
            TrialBatch b = inner.batch(n, rng);
            if (poison && ++calls > 3) java.util.Arrays.fill(b.target(), Double.NaN);
            return b;
        }
    }

    @Test
    void divergedRunsAreRecordedAndTheSweepFinishes(@TempDir Path dir) throws Exception {
        TaskRegistry.register("maybe-poisoned", MaybePoisoned::new);
        Map<String, Object> spec = Map.of("name", "div",
                "task", Map.of("type", "maybe-poisoned", "poison", List.of(1, 0)),
                "model", Map.of("hidden", 6),
                "train", Map.of("batch", 4, "steps-per-epoch", 2, "max-epochs", 4, "patience", 2),
                "seeds", 2,
                "measure", Map.of("dsa", Map.of("n-delays", 2, "rank", 3), "probe-trials", 4, "ood-trials", 4, "ntk-trials", 2));
        Plan plan = ExperimentSpec.fromMap(spec, null).compile();
        assertEquals(4, plan.runs().size());
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (Backend be = Backends.create("java")) {
            RunSummary r = Experiment.run(plan, dir, Experiment.TrainOptions.workers(2), false, be, new PrintStream(log, true));
            assertEquals(4, r.trained(), log.toString());
            assertTrue(r.metrics(), "the sweep goes on to the metrics");
        }
        int diverged = 0;
        for (RunConfig rc : plan.runs()) {
            StoredRun s = RunArtifacts.read(RunArtifacts.dirFor(dir.resolve("runs"), rc.id()));
            if (s.status() == io.degen.config.RunStatus.DIVERGED) {
                diverged++;
                assertEquals(1, ((Number) rc.task().options().get("poison")).intValue());
            }
        }
        assertEquals(2, diverged, "both poisoned seeds diverged");
        try (Catalog c = Catalog.open(dir)) {
            assertEquals(2, c.query("SELECT * FROM runs WHERE status = 'diverged'").size());
            assertEquals(2, c.query("SELECT * FROM runs WHERE status = 'converged'").size());
        }
        assertEquals(2, Files.list(dir.resolve("metrics")).count());
    }

    @Test
    void aSweepThatCannotFitInTheHeapIsRefusedBeforeTraining() {
        RunConfig big = new RunConfig(Map.of("type", "flipflop", "channels", 3), io.degen.config.ModelConfig.standard(16384),
                io.degen.config.TrainConfig.defaults(), 0);
        long est = TrainingPool.estimateBytes(big);
        assertTrue(est > 6L * 8 * 16384 * 16384, "parameters alone are 2 GiB, times optimizer state: " + est);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainingPool.checkMemory(List.of(big), 4, 512L << 20));
        assertTrue(e.getMessage().contains("not enough memory") && e.getMessage().contains("max heap"), e.getMessage());
        RunConfig small = new RunConfig(Map.of("type", "flipflop", "channels", 3), io.degen.config.ModelConfig.standard(64),
                io.degen.config.TrainConfig.defaults(), 0);
        TrainingPool.checkMemory(List.of(small, small), 8, 512L << 20);
    }
}
