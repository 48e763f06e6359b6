package io.degen.metrics;

import io.degen.config.DegeneracyOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class PairBlocksTest {
    @Test
    void splitCoversEveryPairExactlyOnceAndIsBalanced() {
        for (int n = 0; n <= 23; n++) {
            int total = n * (n - 1) / 2;
            for (int k = 1; k <= total + 5; k++) {
                List<List<int[]>> blocks = PairBlocks.split(n, k);
                assertEquals(k, blocks.size());
                int[][] seen = new int[n][n];
                int min = Integer.MAX_VALUE, max = 0;
                for (int b = 0; b < k; b++) {
                    List<int[]> bl = blocks.get(b);
                    min = Math.min(min, bl.size());
                    max = Math.max(max, bl.size());
                    for (int[] p : bl) {
                        assertTrue(p[0] >= 0 && p[0] < p[1] && p[1] < n, "n=" + n + " k=" + k);
                        seen[p[0]][p[1]]++;
                    }
                    // deterministic: the single-block accessor agrees
                    List<int[]> again = PairBlocks.block(n, b, k);
                    assertEquals(bl.size(), again.size());
                    for (int q = 0; q < bl.size(); q++) assertArrayEquals(bl.get(q), again.get(q));
                }
                for (int i = 0; i < n; i++) for (int j = i + 1; j < n; j++) assertEquals(1, seen[i][j], "pair " + i + "," + j + " n=" + n + " k=" + k);
                assertTrue(max - min <= 1, "balanced: n=" + n + " k=" + k);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> PairBlocks.split(3, 0));
        assertThrows(IllegalArgumentException.class, () -> PairBlocks.block(3, 2, 2));
    }

    @Test
    void blockFilesRoundTripAndAssembleOnlyWhenCompleteAndMatching(@TempDir Path dir) throws Exception {
        DegeneracyOptions o = DegeneracyOptions.defaults();
        List<String> ids = List.of("a", "b", "c", "d");
        double[][] full = new double[4][4];
        for (int i = 0; i < 4; i++) for (int j = i + 1; j < 4; j++) { full[i][j] = full[j][i] = 0.1 * i + 0.37 * j + 1e-13 * (i + j); }
        full[0][3] = full[3][0] = Double.NaN;
        assertNull(PairBlocks.assemble(dir, "weights", ids, o, null));
        for (int b = 0; b < 3; b++) {
            List<int[]> pairs = PairBlocks.block(4, b, 3);
            double[] d = new double[pairs.size()];
            for (int q = 0; q < d.length; q++) d[q] = full[pairs.get(q)[0]][pairs.get(q)[1]];
            PairBlocks.write(dir, "c", "weights", b, 3, ids, o, d);
            assertTrue(PairBlocks.valid(dir, "weights", b, 3, ids, o));
            if (b < 2) assertNull(PairBlocks.assemble(dir, "weights", ids, o, null), "incomplete");
        }
        double[][] got = PairBlocks.assemble(dir, "weights", ids, o, null);
        assertNotNull(got);
        for (int i = 0; i < 4; i++) for (int j = 0; j < 4; j++) assertEquals(full[i][j], got[i][j], 0.0);
        assertNull(PairBlocks.assemble(dir, "dynamics", ids, o, null), "other level");
        assertNull(PairBlocks.assemble(dir, "weights", List.of("a", "b", "c", "e"), o, null), "other networks");
        assertNull(PairBlocks.assemble(dir, "weights", ids, o.withDsa(3, 4), null), "other options");
        assertNotNull(PairBlocks.assemble(dir, "weights", ids, o.withThreads(7), null), "threads do not matter");
        assertNull(PairBlocks.assemble(dir, "weights", ids, o.withMetricsBackend("mkl"), null), "another metrics engine");
        // The default engine is not in the key: files written before it was an option still verify.
        assertFalse(PairBlocks.optionsKey(o).contains("metricsBackend"), PairBlocks.optionsKey(o));
        assertTrue(PairBlocks.optionsKey(o.withMetricsBackend("mkl")).contains("metricsBackend=mkl"));
        Files.writeString(PairBlocks.file(dir, "weights", 1, 3), "{\"level\": \"weights\", ");
        assertFalse(PairBlocks.valid(dir, "weights", 1, 3, ids, o));
        assertNull(PairBlocks.assemble(dir, "weights", ids, o, null), "corrupt");
    }
}
