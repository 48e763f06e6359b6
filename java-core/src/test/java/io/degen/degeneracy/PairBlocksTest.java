package io.degen.degeneracy;

import org.junit.jupiter.api.Test;

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
}
