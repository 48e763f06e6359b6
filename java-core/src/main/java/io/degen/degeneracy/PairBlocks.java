package io.degen.degeneracy;

import io.degen.metrics.Pairwise;

import java.util.ArrayList;
import java.util.List;

/**
 * A condition's pairwise matrix (DSA or d_PIF) split over K independent jobs: the pairs (i &lt; j) of
 * n networks, in row-major order, are cut into K contiguous runs whose sizes differ by at most one.
 * Each pair's distance depends only on its two networks (operators are fitted from each network's
 * own weights and the fixed probe trials; d_PIF starts are seeded per comparison), so the blocks
 * assembled equal the matrix computed in one process. The files are the store's (store.BlockFiles).
 */
public final class PairBlocks {
    private PairBlocks() { }

    /** The K blocks of the pairs of n items: contiguous, sizes differ by at most one (blocks are empty when K exceeds the pairs). */
    public static List<List<int[]>> split(int n, int k) {
        if (n < 0 || k < 1) throw new IllegalArgumentException("need n >= 0 and k >= 1, got n=" + n + " k=" + k);
        List<int[]> all = Pairwise.pairs(n);
        long p = all.size();
        List<List<int[]>> out = new ArrayList<>();
        for (int b = 0; b < k; b++) out.add(new ArrayList<>(all.subList((int) (b * p / k), (int) ((b + 1) * p / k))));
        return out;
    }

    /** Block {@code index}'s pairs. */
    public static List<int[]> block(int n, int index, int k) {
        if (index < 0 || index >= k) throw new IllegalArgumentException("block index must be in [0, " + k + "), got " + index);
        return split(n, k).get(index);
    }

    /** For tests and messages: the pair counts of each block. */
    public static int[] sizes(int n, int k) {
        return split(n, k).stream().mapToInt(List::size).toArray();
    }
}
