package io.degen.metrics.weights;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/**
 * Single-precision twin of {@link LinearAssignment} (same algorithm: JV column reduction and
 * reduction transfer, then vectorised shortest augmenting paths), for the Frank-Wolfe steps of
 * {@link QapSolver} only. The costs are rounded to float and the search runs in twice as many
 * vector lanes; the assignment is optimal for the rounded costs, which only steers the search
 * (every objective value d_PIF compares or reports is recomputed exactly in double, and the
 * final projection of each start uses the exact double {@link LinearAssignment}). Rows and
 * predecessor indices are held as floats (exact up to 2^24). Not thread-safe.
 */
final class LinearAssignmentF32 {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private final int n;
    /** The cost matrix as minimised: C, or -C when maximising. */
    private final float[] w;
    private final float[] u, v, shortest, dist;
    /** Shortest-path predecessors (rows), held as floats so they blend in vector lanes. */
    private final float[] pred;
    private final int[] col4row, row4col, scannedCols, scratch;
    /** Column reduction's argmin rows, held as floats so they blend in the same vector lanes. */
    private final float[] argminRow;
    private final float[] lanes = new float[2 * S.length()];
    /** Results of {@link #twoSmallest}: the smallest and second smallest reduced cost of a row. */
    private float min1, min2;

    LinearAssignmentF32(int n) {
        if (n < 0) throw new IllegalArgumentException("assignment size must be >= 0, got " + n);
        if ((long) n * n > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("assignment size " + n + " is too large");
        this.n = n;
        w = new float[n * n];
        u = new float[n];
        v = new float[n];
        shortest = new float[n];
        dist = new float[n];
        pred = new float[n];
        col4row = new int[n];
        row4col = new int[n];
        scannedCols = new int[n];
        scratch = new int[n];
        argminRow = new float[n];
    }

    /** Largest |cost| solved in single precision (reduced costs stay far from float overflow). */
    static final double MAX_COST = 1e30;

    /**
     * Solves the row-major n x n matrix {@code cost} (rounded to float), writing row -> column
     * into {@code out} and returning it; returns null, leaving {@code out} unspecified, when an
     * entry is NaN or larger than {@link #MAX_COST} in magnitude, so the caller can use the
     * double-precision {@link LinearAssignment} instead.
     */
    int[] solveInto(double[] cost, boolean maximize, int[] out) {
        if (cost.length != n * n) {
            throw new IllegalArgumentException("cost matrix must have " + n + " x " + n + " = " + n * n + " entries, got " + cost.length);
        }
        if (out.length < n) throw new IllegalArgumentException("output array has " + out.length + " slots, need " + n);
        for (int k = 0; k < cost.length; k++) {
            double x = cost[k];
            // Outside this range the float search could overflow: the caller solves in double.
            if (!(Math.abs(x) <= MAX_COST)) return null;
            w[k] = (float) (maximize ? -x : x);
        }
        Arrays.fill(col4row, -1);
        Arrays.fill(row4col, -1);
        if (n > 0) {
            columnReduction();
            for (int i = 0; i < n; i++) {
                int j = col4row[i];
                u[i] = j >= 0 ? w[i * n + j] - v[j] : 0;
            }
            for (int cur = 0; cur < n; cur++) {
                if (col4row[cur] < 0) augment(cur);
            }
        }
        System.arraycopy(col4row, 0, out, 0, n);
        return out;
    }

    /**
     * Column reduction and reduction transfer. Afterwards {@code v[j] <= min_i w[i][j]} and every
     * assigned row holds a column minimising its reduced cost {@code w[i][j] - v[j]}: with
     * {@code u[i]} that minimum on assigned rows the duals are feasible and tight.
     */
    private void columnReduction() {
        // v[j] = min_i w[i][j], scanning rows (contiguous, vectorised) and keeping the first minimum.
        System.arraycopy(w, 0, v, 0, n);
        Arrays.fill(argminRow, 0);
        final int upper = S.loopBound(n);
        for (int i = 1; i < n; i++) {
            final int base = i * n;
            final FloatVector row = FloatVector.broadcast(S, i);
            int j = 0;
            for (; j < upper; j += S.length()) {
                FloatVector x = FloatVector.fromArray(S, w, base + j), cur = FloatVector.fromArray(S, v, j);
                VectorMask<Float> less = x.lt(cur);
                if (less.anyTrue()) {
                    cur.blend(x, less).intoArray(v, j);
                    FloatVector.fromArray(S, argminRow, j).blend(row, less).intoArray(argminRow, j);
                }
            }
            for (; j < n; j++) {
                float x = w[base + j];
                if (x < v[j]) { v[j] = x; argminRow[j] = i; }
            }
        }
        // Each row takes the first of its columns in JV's order (last column first); a row that
        // is the minimum of several columns is tight on all of them, so the others stay free.
        int[] matches = scratch;
        Arrays.fill(matches, 0);
        for (int j = n - 1; j >= 0; j--) {
            int i = (int) argminRow[j];
            if (++matches[i] == 1) {
                col4row[i] = j;
                row4col[j] = i;
            }
        }
        // Reduction transfer: a row holding its only column passes its slack to that column, so
        // the column looks dearer to the rows still looking for one.
        for (int i = 0; i < n; i++) {
            if (matches[i] != 1) continue;
            final int j1 = col4row[i], base = i * n;
            if (n < 2) continue;
            // min over j != j1: the second smallest if j1 holds the smallest, else the smallest.
            twoSmallest(base);
            float min = w[base + j1] - v[j1] == min1 ? min2 : min1;
            if (min != Float.POSITIVE_INFINITY) v[j1] -= min;
        }
    }

    /**
     * Sets {@link #min1} and {@link #min2} to the smallest and second smallest (with multiplicity)
     * of the reduced costs {@code w[i][j] - v[j]} of the row starting at {@code base}. Each vector
     * lane keeps its own two smallest; the row's two are the two smallest of those.
     */
    private void twoSmallest(int base) {
        final int L = S.length(), upper = S.loopBound(n);
        float a1 = Float.POSITIVE_INFINITY, a2 = Float.POSITIVE_INFINITY;
        int j = 0;
        if (upper > 0) {
            FloatVector m1 = FloatVector.broadcast(S, Float.POSITIVE_INFINITY), m2 = m1;
            for (; j < upper; j += L) {
                FloatVector r = FloatVector.fromArray(S, w, base + j).sub(FloatVector.fromArray(S, v, j));
                m2 = m2.min(m1.max(r));
                m1 = m1.min(r);
            }
            m1.intoArray(lanes, 0);
            m2.intoArray(lanes, L);
            for (int t = 0; t < 2 * L; t++) {
                float x = lanes[t];
                if (x < a2) {
                    if (x < a1) { a2 = a1; a1 = x; } else a2 = x;
                }
            }
        }
        for (; j < n; j++) {
            float x = w[base + j] - v[j];
            if (x < a2) {
                if (x < a1) { a2 = a1; a1 = x; } else a2 = x;
            }
        }
        min1 = a1;
        min2 = a2;
    }

    /** First column j >= from with dist[j] == value, or -1. */
    private int nextAt(float value, int from) {
        final int L = S.length();
        int j = from;
        for (; j + L <= n; j += L) {
            VectorMask<Float> hit = FloatVector.fromArray(S, dist, j).eq(value);
            if (hit.anyTrue()) return j + hit.firstTrue();
        }
        for (; j < n; j++) if (dist[j] == value) return j;
        return -1;
    }

    /**
     * Dijkstra over reduced costs from free row {@code cur} to the nearest free column, then the
     * dual update and the augmentation. Each scanned row relaxes all columns at once in vector
     * lanes: {@code dist[j]} holds the tentative distance of an unscanned column and -infinity once
     * the column is scanned (so it is never relaxed again), {@code shortest[j]} its final distance.
     */
    private void augment(int cur) {
        final int L = S.length(), upper = S.loopBound(n);
        final FloatVector inf = FloatVector.broadcast(S, Float.POSITIVE_INFINITY);
        Arrays.fill(dist, Float.POSITIVE_INFINITY);
        // u[cur] = min_j (w[cur][j] - v[j]) keeps the start row's reduced costs >= 0.
        twoSmallest(cur * n);
        u[cur] = min1;
        int[] seenRows = scratch;
        int nSeen = 0, nScanned = 0;
        float minVal = 0;
        int i = cur, sink = -1;
        while (sink < 0) {
            seenRows[nSeen++] = i;
            final int base = i * n;
            final float h = minVal - u[i];
            final FloatVector hv = FloatVector.broadcast(S, h), rowV = FloatVector.broadcast(S, i);
            FloatVector lowV = inf;
            int j = 0;
            for (; j < upper; j += L) {
                FloatVector r = FloatVector.fromArray(S, w, base + j).sub(FloatVector.fromArray(S, v, j)).add(hv);
                FloatVector dv = FloatVector.fromArray(S, dist, j);
                VectorMask<Float> better = r.lt(dv);
                if (better.anyTrue()) {
                    dv = dv.blend(r, better);
                    dv.intoArray(dist, j);
                    FloatVector.fromArray(S, pred, j).blend(rowV, better).intoArray(pred, j);
                }
                // Scanned columns hold -infinity: keep them out of the minimum.
                lowV = lowV.min(dv.blend(inf, dv.eq(Float.NEGATIVE_INFINITY)));
            }
            float lowest = lowV.reduceLanes(VectorOperators.MIN);
            for (; j < n; j++) {
                float r = w[base + j] - v[j] + h, dj = dist[j];
                if (r < dj) { dist[j] = r; pred[j] = i; dj = r; }
                if (dj != Float.NEGATIVE_INFINITY && dj < lowest) lowest = dj;
            }
            if (lowest == Float.POSITIVE_INFINITY) {
                throw new IllegalStateException("assignment infeasible (unreachable with finite costs)");
            }
            // The first column at the lowest distance, preferring a free one (the search ends there).
            int best = nextAt(lowest, 0);
            for (int k = best; k >= 0 && row4col[k] >= 0; ) {
                k = nextAt(lowest, k + 1);
                if (k >= 0 && row4col[k] < 0) best = k;
            }
            minVal = lowest;
            shortest[best] = lowest;
            dist[best] = Float.NEGATIVE_INFINITY;
            scannedCols[nScanned++] = best;
            if (row4col[best] < 0) sink = best;
            else i = row4col[best];
        }
        // Dual update: reduced costs stay >= 0 and the path's edges become tight.
        u[cur] += minVal;
        for (int k = 0; k < nSeen; k++) {
            final int r = seenRows[k];
            if (r != cur) u[r] += minVal - shortest[col4row[r]];
        }
        for (int k = 0; k < nScanned; k++) {
            final int j = scannedCols[k];
            v[j] -= minVal - shortest[j];
        }
        // Augment along the predecessor chain back to cur.
        int j = sink;
        while (true) {
            final int r = (int) pred[j];
            row4col[j] = r;
            final int prev = col4row[r];
            col4row[r] = j;
            if (r == cur) break;
            j = prev;
        }
    }
}
