package io.degen.pipeline;

import io.degen.config.RunConfig;
import io.degen.plan.ExperimentSpec;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

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
        assertTrue(line.startsWith("  task.channels = 1 seed 0: epoch 1/3, loss 0.250 | ETA "), line);
        assertFalse(line.contains("ETA ?"), line);
        p.finished(runs.get(0), "task.channels = 1 seed 0", "converged", true);
        assertTrue(p.eta() < eta * 10, "finished runs leave the remaining work");
        assertTrue(bytes.toString(StandardCharsets.UTF_8).contains("[1/4] task.channels = 1 seed 0: converged"));
    }
}
