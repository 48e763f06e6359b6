package io.degen.task;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class TaskTest {
    private static Task task(Object... kv) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return TaskRegistry.create(m);
    }

    @Test
    void batchesAreAPureFunctionOfTheSeed() {
        for (String type : TaskRegistry.types()) {
            Task t = task("type", type);
            TrialBatch a = t.batch(4, new SplittableRandom(7)), b = t.batch(4, new SplittableRandom(7)), c = t.batch(4, new SplittableRandom(8));
            assertArrayEquals(a.input(), b.input(), type);
            assertArrayEquals(a.target(), b.target(), type);
            assertFalse(java.util.Arrays.equals(a.input(), c.input()), type + " differs across seeds");
            assertEquals(t.inputSize(), a.inputs());
            assertEquals(t.outputSize(), a.outputs());
        }
    }

    @Test
    void flipFlopTargetHoldsLastPulse() {
        Task t = task("type", "flipflop", "channels", 2, "time", 200, "p", 0.1);
        TrialBatch b = t.batch(8, new SplittableRandom(1));
        for (int i = 0; i < 8; i++) for (int c = 0; c < 2; c++) {
            double state = 0;
            for (int s = 0; s < 200; s++) {
                double x = b.input()[b.inIndex(i, s, c)];
                assertTrue(x == 0 || x == 1 || x == -1);
                if (x != 0) state = x;
                assertEquals(state, b.target()[b.outIndex(i, s, c)]);
            }
        }
        assertEquals(400, t.oodBatch(2, new SplittableRandom(1)).time());
    }

    @Test
    void sineHasEightSamplesPerPeriodAtTheTopFrequency() {
        SineWaveTask t = (SineWaveTask) task("type", "sine", "channels", 2);
        assertEquals(30.0, t.frequency(9), 1e-12);
        assertTrue(1.0 / (30.0 * (double) t.options().get("dt")) >= 8 - 1e-9);
        TrialBatch b = t.batch(3, new SplittableRandom(2));
        double f = b.input()[b.inIndex(1, 0, 1)] * SineWaveTask.F_MAX;
        assertEquals(Math.sin(2 * Math.PI * f * 5 / 240.0), b.target()[b.outIndex(1, 4, 1)], 1e-12);
        assertEquals(200, t.oodBatch(1, new SplittableRandom(1)).time());
    }

    @Test
    void delayedDiscriminationScoresOnlyTheResponseWindowAndDoublesTheDelayOod() {
        DelayedDiscriminationTask t = (DelayedDiscriminationTask) task("type", "delayed-discrimination", "aux", true);
        TrialBatch b = t.batch(16, new SplittableRandom(3));
        assertEquals(2, b.outputs());
        for (int i = 0; i < 16; i++) {
            int p1 = -1, p2 = -1;
            for (int s = 0; s < b.time(); s++) if (b.input()[b.inIndex(i, s, 0)] != 0) { if (p1 < 0) p1 = s; else p2 = s; }
            double f1 = b.input()[b.inIndex(i, p1, 0)] * 10, f2 = b.input()[b.inIndex(i, p2, 0)] * 10;
            assertTrue(f1 >= 2 && f1 <= 10 && f2 >= 2 && f2 <= 10);
            assertTrue(p2 - p1 - 1 >= 5 && p2 - p1 - 1 <= 20, "delay " + (p2 - p1 - 1));
            for (int s = 0; s < b.time(); s++) {
                boolean window = s > p2 && s <= p2 + 10;
                assertEquals(window ? 1.0 : 0.0, b.mask()[b.outIndex(i, s, 0)]);
                if (window) {
                    assertEquals(Math.signum(f2 - f1), b.target()[b.outIndex(i, s, 0)]);
                    assertEquals(Math.abs(f2 - f1) / 8, b.target()[b.outIndex(i, s, 1)], 1e-12);
                }
            }
        }
        TrialBatch o = t.oodBatch(16, new SplittableRandom(3));
        assertEquals(5 + 1 + 40 + 1 + 10, o.time());
    }

    @Test
    void pathIntegrationStaysInsideTheBoxAndIntegratesVelocity() {
        Task t = task("type", "path-integration", "dims", 3);
        TrialBatch b = t.batch(8, new SplittableRandom(4));
        assertEquals(3 * 8 * 100, b.target().length);
        for (double v : b.target()) assertTrue(Math.abs(v) <= PathIntegrationTask.BOX);
        // Away from walls the position moves by speed * heading each step.
        int i = 0;
        for (int s = 1; s < 100; s++) {
            double v = b.input()[b.inIndex(i, s, 4)];
            double ca = b.input()[b.inIndex(i, s, 0)], sa = b.input()[b.inIndex(i, s, 1)], ce = b.input()[b.inIndex(i, s, 2)], se = b.input()[b.inIndex(i, s, 3)];
            double[] step = {ce * ca, ce * sa, se};
            for (int d = 0; d < 3; d++) {
                double prev = b.target()[b.outIndex(i, s - 1, d)], cur = b.target()[b.outIndex(i, s, d)];
                if (Math.abs(cur) < 4.99) assertEquals(prev + v * step[d], cur, 1e-12);
            }
        }
    }

    @Test
    void badOptionsNameTheField() {
        var e = assertThrows(IllegalArgumentException.class, () -> task("type", "flipflop", "channels", -1));
        assertTrue(e.getMessage().contains("task.channels") && e.getMessage().contains("-1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> task("type", "flipflop", "aux", true));
        assertTrue(e.getMessage().contains("task.aux"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> task("type", "nope"));
        assertTrue(e.getMessage().contains("task.type") && e.getMessage().contains("nope"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> task("type", "delayed-discrimination", "delay-min", 10, "delay-max", 5));
        assertTrue(e.getMessage().contains("delay-max"), e.getMessage());
    }
}
