package io.degen.bench;

import io.degen.backend.Backend;
import io.degen.backend.Backends;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The GPU check's stages run Java against Java: every verdict passes with zero difference. */
class EngineCheckTest {

    @Test
    void everyStagePassesJavaAgainstJava() throws Exception {
        try (Backend ref = Backends.create("java"); Backend cand = Backends.create("java")) {
            Map<String, Object> ops = EngineCheck.ops(ref, cand);
            assertEquals(true, ops.get("ok"), ops.toString());
            assertEquals(ops.get("compared"), ops.get("passed"));
            assertTrue((Integer) ops.get("compared") > 150, ops.toString());

            Map<String, Object> g = EngineCheck.grad64(ref, cand);
            assertEquals(true, g.get("ok"), g.toString());
            assertEquals(0.0, (Double) g.get("max_rel"), g.toString());
            assertEquals(16, g.get("compared"));

            Map<String, Object> t = EngineCheck.train(ref, cand, 3);
            assertEquals(true, t.get("ok"), t.toString());
            // the Java engine gives a network in a lockstep group the same numbers as alone
            for (String part : List.of("alone", "lockstep")) {
                Map<?, ?> p = (Map<?, ?>) t.get(part);
                assertEquals(0.0, (Double) p.get("loss_max_rel_diff"), part + " " + t);
                assertEquals(0.0, (Double) p.get("weights_max_abs_diff"), part + " " + t);
            }
            // A stacked cohort sums its weight gradients over time steps in another order: float32 rounding,
            // which Adam's early steps (m / sqrt(v) of a gradient entry with cancellation) carry into the
            // weights at ~1e-6 of the weights (CohortTest and StackedTrainerTest show 1e-11 in float64).
            Map<?, ?> st = (Map<?, ?>) t.get("stacked");
            assertTrue((Double) st.get("loss_max_rel_diff") < 1e-5, st.toString());
            assertTrue((Double) st.get("weights_max_abs_diff") < 5e-5, st.toString());

            Map<String, Object> tp = EngineCheck.throughput(cand, ref, new EngineCheck.Sizes(16, 4, 10, 3, 2, 1, new int[] {1, 3}, 2));
            List<?> rows = (List<?>) tp.get("rows");
            assertEquals(6, rows.size(), tp.toString());
            assertEquals(2, rows.stream().filter(r -> "stacked".equals(((Map<?, ?>) r).get("mode"))).count(), tp.toString());
            for (Object r : rows) assertTrue((Double) ((Map<?, ?>) r).get("network_steps_per_s") > 0, r.toString());
        }
    }
}
