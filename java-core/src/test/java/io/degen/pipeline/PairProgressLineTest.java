package io.degen.pipeline;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.*;

/** A long matrix prints a line per interval with an ETA from its rate; a short one prints nothing. */
class PairProgressLineTest {
    @Test void linesAtMostOncePerIntervalWithTheRateEta() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        long[] now = {0};
        long s = 1_000_000_000L;
        PairProgressLine line = new PairProgressLine(new PrintStream(bytes, true, StandardCharsets.UTF_8), 10 * s, () -> now[0]);
        line.pairsDone("DSA", 1, 100);
        now[0] = 5 * s;
        line.pairsDone("DSA", 10, 100);
        assertEquals("", bytes.toString(StandardCharsets.UTF_8), "within the first interval: quiet");
        now[0] = 20 * s;
        line.pairsDone("DSA", 40, 100);
        now[0] = 21 * s;
        line.pairsDone("DSA", 41, 100);
        // 40 pairs in 20 s: 60 left take 30 s.
        assertEquals("  [metrics] DSA: 40/100 pairs | elapsed 20s | ETA 30s\n", bytes.toString(StandardCharsets.UTF_8));
        now[0] = 41 * s;
        line.pairsDone("DSA", 100, 100);
        assertTrue(bytes.toString(StandardCharsets.UTF_8).endsWith("  [metrics] DSA: 100/100 pairs | elapsed 41s | ETA 0s\n"));
        // The next condition's matrix of the same name starts afresh at its done = 0.
        int before = bytes.size();
        line.pairsDone("DSA", 0, 10);
        now[0] = 45 * s;
        line.pairsDone("DSA", 5, 10);
        assertEquals(before, bytes.size(), "4 s into a new matrix: quiet, whatever the last one printed");

        ByteArrayOutputStream quiet = new ByteArrayOutputStream();
        PairProgressLine q = new PairProgressLine(new PrintStream(quiet, true, StandardCharsets.UTF_8), 10 * s, () -> now[0]);
        for (int i = 1; i <= 50; i++) q.pairsDone("d_PIF", i, 50);
        assertEquals("", quiet.toString(StandardCharsets.UTF_8), "a matrix done within the interval prints nothing");
    }
}
