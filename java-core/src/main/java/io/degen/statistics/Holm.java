package io.degen.statistics;

import java.util.ArrayList;
import java.util.List;

/**
 * Holm's step-down adjustment of a family of p-values (the cells of one verdict table): sorted
 * ascending, the i-th of m is multiplied by m - i + 1, made monotone and capped at 1. It controls
 * the family-wise error rate without assuming independence. NaN entries are left out of the family.
 */
public final class Holm {
    private Holm() { }

    public static double[] adjust(double[] p) {
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < p.length; i++) if (!Double.isNaN(p[i])) idx.add(i);
        idx.sort((a, b) -> Double.compare(p[a], p[b]));
        double[] out = new double[p.length];
        java.util.Arrays.fill(out, Double.NaN);
        int m = idx.size();
        double running = 0;
        for (int r = 0; r < m; r++) {
            double adj = Math.min(1, (m - r) * p[idx.get(r)]);
            running = Math.max(running, adj);
            out[idx.get(r)] = running;
        }
        return out;
    }
}
