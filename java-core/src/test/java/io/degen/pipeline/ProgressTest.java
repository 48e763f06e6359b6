package io.degen.pipeline;

import io.degen.config.RunConfig;
import io.degen.plan.ExperimentSpec;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static io.degen.plan.TinySpecs.flipflop;
import static io.degen.plan.TinySpecs.list;
import static io.degen.plan.TinySpecs.with;
import static org.junit.jupiter.api.Assertions.*;

/** Progress names the epoch within its maximum and has an ETA from the first epoch on, before any run ends. */
class ProgressTest {
    @Test void epochLinesCarryTheMaximumAndAnEtaFromTheCostModel() throws Exception {
        List<RunConfig> runs = ExperimentSpec.fromMap(with(flipflop(), "task", "channels", list(1, 2))).compile().runs();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Progress p = new Progress(new PrintStream(bytes, true, StandardCharsets.UTF_8), runs);
        assertTrue(Double.isNaN(p.eta()), "no work done yet: no ETA");
        Thread.sleep(20);
        p.epoch(runs.get(0), "task.channels = 1 seed 0", 1, 0.25);
        double eta = p.eta();
        assertTrue(eta > 0 && Double.isFinite(eta), "an ETA after one epoch: " + eta);
        String line = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(line.startsWith("  task.channels = 1 seed 0: epoch 1/3, loss 0.250 | training ETA "), line);
        assertFalse(line.contains("ETA ?"), line);
        p.finished(runs.get(0), "task.channels = 1 seed 0", "converged", true);
        assertTrue(p.eta() < eta * 10, "finished runs leave the remaining work");
        assertTrue(bytes.toString(StandardCharsets.UTF_8).contains("[1/4] task.channels = 1 seed 0: converged"));
    }

    /** A study whose first run converged in 10 epochs expects the others to take about as long, not the cost model's epochs. */
    @Test void finishedRunsCalibrateTheEpochsExpectedOfTheRest() throws Exception {
        Map<String, Object> spec = with(flipflop(), "train", "max-epochs", 1000);
        spec.put("seeds", 4);
        List<RunConfig> runs = ExperimentSpec.fromMap(spec).compile().runs();
        long before = System.nanoTime();
        Progress p = new Progress(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), runs);
        long after = System.nanoTime();
        Thread.sleep(20);
        p.epoch(runs.get(0), "seed 0", 10, 0.01);
        double modelled = p.eta();
        p.finished(runs.get(0), "seed 0", "converged", true);
        long t0 = System.nanoTime();
        double eta = p.eta();
        long t1 = System.nanoTime();
        // Three runs left at the 10 epochs the first one took, at the rate of those 10 epochs: 3x the time so far.
        assertTrue(eta >= 3 * (t0 - after) / 1e9 && eta <= 3 * (t1 - before) / 1e9,
                "ETA " + eta + " s after " + (t0 - after) / 1e9 + " s");
        assertTrue(modelled > 10 * eta, "before any run finished, the cost model's epochs: " + modelled + " s");
        // A run that diverged at once says nothing of how long the others take: the scale stays the converged run's.
        p.epoch(runs.get(1), "seed 1", 1, Double.NaN);
        p.finished(runs.get(1), "seed 1", "diverged", false, false);
        long u0 = System.nanoTime();
        double afterDiverged = p.eta();
        long u1 = System.nanoTime();
        // Two runs left at 10 epochs each, at the rate of the 11 epochs trained so far.
        assertTrue(afterDiverged >= 20.0 / 11 * (u0 - after) / 1e9 && afterDiverged <= 20.0 / 11 * (u1 - before) / 1e9,
                "ETA " + afterDiverged + " s after " + (u0 - after) / 1e9 + " s");
    }
}
