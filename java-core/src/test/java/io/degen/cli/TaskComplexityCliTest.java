package io.degen.cli;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TaskComplexityCliTest {
    private static Object run(String... argv) throws Exception {
        ComplexityCommand c = new ComplexityCommand();
        return c.run(new Args(List.of(argv), c.flags()));
    }

    @Test void reportsTheMeasuresAndTheTaskOptionsGiven() throws Exception {
        @SuppressWarnings("unchecked") Map<String, Object> m = (Map<String, Object>) run("--task", "delayed-discrimination",
                "--delay-max", "10", "--aux", "--trials", "200", "--max-lag", "12", "--seed", "3");
        assertEquals(Map.of("type", "delayed-discrimination", "delay-max", 10, "aux", true), m.get("task"));
        assertEquals(12, ((double[]) m.get("memory_information_bits")).length);
        assertTrue((double) m.get("target_entropy_bits") > 1);
        assertTrue((double) m.get("memory_total_bits") > 0);
        assertTrue((double) m.get("effective_memory_length") > 1);
        assertEquals(3L, m.get("seed"));
    }

    @Test void badTaskOptionsAreUsageErrors() {
        UsageException e = assertThrows(UsageException.class, () -> run("--task", "flipflop", "--aux"));
        assertTrue(e.getMessage().contains("task.aux"), e.getMessage());
        assertThrows(UsageException.class, () -> run("--task", "nope"));
        assertThrows(UsageException.class, () -> run("--task", "flipflop", "--bins", "0"));
        assertThrows(UsageException.class, () -> run("--task", "flipflop", "--typo", "1"));
        assertThrows(UsageException.class, () -> run("--channels", "2"));
    }
}
