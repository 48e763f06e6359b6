package io.degen.plan;

import io.degen.config.RunConfig;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class SpecBuilderTest {
    @Test
    void buildsTheSamePlanAsTheEquivalentMap() {
        SpecBuilder b = new SpecBuilder("nuclear").task("delayed-discrimination").task("channels", 1, 2)
                .model("hidden", 16).train("max-epochs", 5).control("nuclear", 0, 1e-3).seeds(3).dsa(2, 4)
                .profile("quick", Map.of("seeds", 1));
        Plan plan = b.build().compile();
        assertEquals(4, plan.conditions().size());
        assertEquals(12, plan.runs().size());
        Map<String, Object> same = Map.of("name", "nuclear",
                "task", Map.of("type", "delayed-discrimination", "channels", List.of(1, 2)),
                "model", Map.of("hidden", 16), "train", Map.of("max-epochs", 5),
                "control", Map.of("nuclear", List.of(0, 1e-3)), "seeds", 3,
                "measure", Map.of("dsa", Map.of("n-delays", 2, "rank", 4)));
        Plan other = ExperimentSpec.fromMap(same).compile();
        assertEquals(other.runs().stream().map(RunConfig::id).toList(), plan.runs().stream().map(RunConfig::id).toList());
        assertEquals(4, b.build("quick").compile().runs().size());
    }

    @Test
    void badValuesFailWithThePathAndValue() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new SpecBuilder("x").task("flipflop").task("channels", -1).build());
        assertTrue(e.getMessage().contains("[:task :channels]") && e.getMessage().contains("-1"), e.getMessage());
    }

    @Test
    void fromCopiesTheBase() {
        SpecBuilder a = new SpecBuilder("x").task("flipflop").seeds(2);
        SpecBuilder b = SpecBuilder.from(a.toMap()).task("channels", 2);
        assertFalse(((Map<?, ?>) a.toMap().get("task")).containsKey("channels"));
        assertEquals(2, ((Map<?, ?>) b.toMap().get("task")).get("channels"));
    }
}
