package io.degen.e2e;

import io.degen.backend.JavaBackend;
import io.degen.plan.ExperimentSpec;
import io.degen.plan.Plan;
import io.degen.plan.SpecReaders;
import io.degen.pipeline.Experiment;
import io.degen.pipeline.RunSummary;
import io.degen.util.Json;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Guards the science: a tiny rerun of the paper's Figure 3 on the flip-flop (the quick profile of
 * examples/paper/fig3-flipflop.edn restricted to 1 vs 3 bits and seeds 0-3, fixed seeds, so it is
 * deterministic) must show the paper's dynamics-level direction: more channels, lower mean pairwise
 * DSA distance. A regression in tasks, training or DSA that breaks this fails CI. About two
 * minutes on two cores.
 */
@Tag("science")
@Tag("slow")
class PaperDirectionTest {
    static final String SPEC = """
            {:name "fig3-flipflop-ci"
             :task {:type :flipflop :channels [1 3] :time 50}
             :model {:type :standard :hidden 32}
             :train {:lr 3e-3 :max-epochs 400}
             :seeds 4
             :measure {:dsa {:n-delays 5 :rank 20} :probe-trials 32 :levels [:behaviour :dynamics]}}
            """;

    @Test
    void moreFlipFlopChannelsLowerDynamicalDegeneracy(@TempDir Path dir) throws Exception {
        Path spec = dir.resolve("fig3-ci.edn");
        Files.writeString(spec, SPEC);
        Plan plan = ExperimentSpec.fromMap(SpecReaders.read(spec)).compile();
        Path out = dir.resolve("store");
        Experiment.run(plan, out, Experiment.TrainOptions.workers(2), false, new JavaBackend(), new PrintStream(java.io.OutputStream.nullOutputStream()));
        double[] dsa = new double[2], se = new double[2];
        for (int i = 0; i < 2; i++) {
            Plan.Condition c = plan.conditions().get(i);
            @SuppressWarnings("unchecked") Map<String, Object> m = Json.MAPPER.readValue(out.resolve("metrics").resolve(c.id() + ".json").toFile(), Map.class);
            @SuppressWarnings("unchecked") Map<String, Object> a = (Map<String, Object>) m.get("analysis");
            assertEquals(4, ((Number) a.get("converged")).intValue(), "every network reaches the 1e-3 threshold: " + c.values());
            @SuppressWarnings("unchecked") Map<String, Object> dyn = (Map<String, Object>) a.get("dynamics");
            dsa[i] = ((Number) dyn.get("mean")).doubleValue();
            se[i] = ((Number) dyn.get("se")).doubleValue();
        }
        assertEquals(1, ((Number) plan.conditions().get(0).values().get("task.channels")).intValue());
        assertTrue(dsa[1] < dsa[0], "3 bits should be less degenerate in dynamics than 1 bit: " + dsa[1] + " vs " + dsa[0]);
        // Not a coin flip: the gap exceeds twice the combined standard error (measured: 0.189 vs 0.091, SE 0.016 and 0.011).
        assertTrue(dsa[0] - dsa[1] > 2 * Math.hypot(se[0], se[1]), "gap " + (dsa[0] - dsa[1]) + " vs SE " + Math.hypot(se[0], se[1]));
    }
}
