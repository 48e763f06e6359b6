package io.degen.metrics.weights;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/**
 * Dense square linear assignment: find the permutation {@code col} (row i is assigned column
 * {@code col[i]}) minimising (or maximising) {@code sum_i C[i][col[i]]}.
 *
 * <p>Algorithm (Jonker and Volgenant 1987): JV's column reduction and reduction transfer assign
 * many rows at once; every row left free is then added by a shortest augmenting path: a Dijkstra
 * search over the reduced costs {@code C[i][j] - u[i] - v[j]} to the nearest free column, a dual
 * update that keeps all reduced costs non-negative and makes the path tight, and the
 * augmentation. O(n^3) worst case, exact on any finite input (ties and negative costs included).
 * Maximising solves the negated matrix. JV's augmenting row reduction is left out: with the
 * vectorised Dijkstra below it was slower, both on FAQ gradients and on random matrices. The row
 * scans run in Vector API lanes.
 *
 * <p>After a solve the duals certify optimality: {@code C[i][j] - u[i] - v[j] >= 0} for all i, j
 * (dual feasibility) with equality on the assigned pairs (complementary slackness), where C is the
 * cost matrix as minimised (the negated matrix when maximising). {@link #rowDual()} and
 * {@link #colDual()} expose them for checks.
 *
 * <p>An instance owns its work arrays and reuses them, so a caller in a loop (the FAQ iterations
 * of {@link PifMetric}) allocates nothing. Instances are not thread-safe; the static
 * {@link #solve(double[], int, boolean)} makes a fresh one.
 */
public final class LinearAssignment {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private final int n;
    /** The cost matrix as minimised: C, or -C when maximising. */
    private final double[] w;
    private final double[] u, v, shortest, dist;
    /** Shortest-path predecessors (rows), held as doubles so they blend in vector lanes. */
    private final double[] pred;
    private final int[] col4row, row4col, scannedCols, scratch;
    /** Column reduction's argmin rows, held as doubles so they blend in the same vector lanes. */
    private final double[] argminRow;
    private final double[] lanes = new double[2 * S.length()];
    /** 0, 1, 2, ...: the column numbers of the first vector's lanes. */
    private static final double[] IOTA = new double[S.length()];

    static {
        for (int t = 0; t < IOTA.length; t++) IOTA[t] = t;
    }
    /** Results of {@link #twoSmallest}: the smallest and second smallest reduced cost of a row. */
    private double min1, min2;

    public LinearAssignment(int n) {
        if (n < 0) throw new IllegalArgumentException("assignment size must be >= 0, got " + n);
        if ((long) n * n > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("assignment size " + n + " is too large");
        this.n = n;
        w = new double[n * n];
        u = new double[n];
        v = new double[n];
        shortest = new double[n];
        dist = new double[n];
        pred = new double[n];
        col4row = new int[n];
        row4col = new int[n];
        scannedCols = new int[n];
        scratch = new int[n];
        argminRow = new double[n];
    }

    public int size() { return n; }

    /** Convenience: solves a row-major n x n cost matrix; returns row -> column. */
    public static int[] solve(double[] cost, int n, boolean maximize) {
        return new LinearAssignment(n).solveInto(cost, maximize, new int[n]);
    }

    /** Convenience for a square {@code double[][]}. */
    public static int[] solve(double[][] cost, boolean maximize) {
        int n = cost.length;
        double[] flat = new double[n * n];
        for (int i = 0; i < n; i++) {
            if (cost[i] == null || cost[i].length != n) {
                throw new IllegalArgumentException("cost matrix must be square: row " + i + " has "
                        + (cost[i] == null ? 0 : cost[i].length) + " entries, expected " + n);
            }
            System.arraycopy(cost[i], 0, flat, i * n, n);
        }
        return solve(flat, n, maximize);
    }

    /** Total cost of an assignment. */
    public static double cost(double[] cost, int n, int[] assignment) {
        double s = 0;
        for (int i = 0; i < n; i++) s += cost[i * n + assignment[i]];
        return s;
    }

    /**
     * Solves the row-major n x n matrix {@code cost}, writing row -> column into {@code out}
     * (length >= n) and returning it. Rejects NaN and infinite entries.
     */
    public int[] solveInto(double[] cost, boolean maximize, int[] out) {
        if (cost.length != n * n) {
            throw new IllegalArgumentException("cost matrix must have " + n + " x " + n + " = " + n * n + " entries, got " + cost.length);
        }
        if (out.length < n) throw new IllegalArgumentException("output array has " + out.length + " slots, need " + n);
        // x * 0 is 0 for finite x and NaN for NaN or infinity, so one NaN in the sum flags them.
        final int len = cost.length, upper = S.loopBound(len);
        final double sign = maximize ? -1 : 1;
        DoubleVector check = DoubleVector.zero(S);
        int k = 0;
        for (; k < upper; k += S.length()) {
            DoubleVector x = DoubleVector.fromArray(S, cost, k);
            check = check.add(x.mul(0.0));
            x.mul(sign).intoArray(w, k);
        }
        double tail = check.reduceLanes(VectorOperators.ADD);
        for (; k < len; k++) {
            tail += cost[k] * 0.0;
            w[k] = sign * cost[k];
        }
        if (Double.isNaN(tail)) {
            for (k = 0; k < len; k++) {
                if (!Double.isFinite(cost[k])) {
                    throw new IllegalArgumentException("cost matrix entry (" + k / n + ", " + k % n + ") is " + cost[k] + "; costs must be finite");
                }
            }
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

    /** Row duals of the last solve (for the minimised matrix: the negated one when maximising). */
    public double[] rowDual() { return u.clone(); }

    /** Column duals of the last solve. */
    public double[] colDual() { return v.clone(); }

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
            final DoubleVector row = DoubleVector.broadcast(S, i);
            int j = 0;
            for (; j < upper; j += S.length()) {
                DoubleVector x = DoubleVector.fromArray(S, w, base + j), cur = DoubleVector.fromArray(S, v, j);
                // Stored unconditionally: a branch on "any lane lower" mispredicts often enough
                // to cost 40% of this loop on FAQ gradients.
                VectorMask<Double> less = x.lt(cur);
                cur.blend(x, less).intoArray(v, j);
                DoubleVector.fromArray(S, argminRow, j).blend(row, less).intoArray(argminRow, j);
            }
            for (; j < n; j++) {
                double x = w[base + j];
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
            double min = w[base + j1] - v[j1] == min1 ? min2 : min1;
            if (min != Double.POSITIVE_INFINITY) v[j1] -= min;
        }
    }

    /**
     * Sets {@link #min1} and {@link #min2} to the smallest and second smallest (with multiplicity)
     * of the reduced costs {@code w[i][j] - v[j]} of the row starting at {@code base}. Each vector
     * lane keeps its own two smallest; the row's two are the two smallest of those.
     */
    private void twoSmallest(int base) {
        final int L = S.length(), upper = S.loopBound(n);
        double a1 = Double.POSITIVE_INFINITY, a2 = Double.POSITIVE_INFINITY;
        int j = 0;
        if (upper > 0) {
            DoubleVector m1 = DoubleVector.broadcast(S, Double.POSITIVE_INFINITY), m2 = m1;
            for (; j < upper; j += L) {
                DoubleVector r = DoubleVector.fromArray(S, w, base + j).sub(DoubleVector.fromArray(S, v, j));
                // Compares and blends, not min/max: on JDK 17 at 512 bits DoubleVector.min/max ran
                // the Java fallback even in C2 code, allocating an array per call (JFR: gigabytes
                // per second of d_PIF, and the heap growth that came with it).
                VectorMask<Double> below1 = r.lt(m1), below2 = r.lt(m2);
                m2 = m2.blend(r, below2).blend(m1, below1);
                m1 = m1.blend(r, below1);
            }
            m1.intoArray(lanes, 0);
            m2.intoArray(lanes, L);
            for (int t = 0; t < 2 * L; t++) {
                double x = lanes[t];
                if (x < a2) {
                    if (x < a1) { a2 = a1; a1 = x; } else a2 = x;
                }
            }
        }
        for (; j < n; j++) {
            double x = w[base + j] - v[j];
            if (x < a2) {
                if (x < a1) { a2 = a1; a1 = x; } else a2 = x;
            }
        }
        min1 = a1;
        min2 = a2;
    }

    /** First column j >= from with dist[j] == value, or -1. */
    private int nextAt(double value, int from) {
        final int L = S.length();
        int j = from;
        for (; j + L <= n; j += L) {
            VectorMask<Double> hit = DoubleVector.fromArray(S, dist, j).eq(value);
            if (hit.anyTrue()) return j + hit.firstTrue();
        }
        for (; j < n; j++) if (dist[j] == value) return j;
        return -1;
    }

    /**
     * Dijkstra over reduced costs from free row {@code cur} to the nearest free column, then the
     * dual update and the augmentation. Each scanned row relaxes all columns at once in vector
     * lanes and finds the nearest unscanned column in the same pass: {@code dist[j]} holds the
     * tentative distance of an unscanned column and NaN once the column is scanned (NaN compares
     * false, so it is never relaxed again nor taken as the minimum), {@code shortest[j]} its final
     * distance. Stores are unconditional, because branches on the comparisons mispredict.
     */
    private void augment(int cur) {
        final int L = S.length(), upper = S.loopBound(n);
        final DoubleVector inf = DoubleVector.broadcast(S, Double.POSITIVE_INFINITY);
        final DoubleVector step = DoubleVector.broadcast(S, L), lane0 = DoubleVector.fromArray(S, IOTA, 0);
        Arrays.fill(dist, Double.POSITIVE_INFINITY);
        // u[cur] = min_j (w[cur][j] - v[j]) keeps the start row's reduced costs >= 0.
        twoSmallest(cur * n);
        u[cur] = min1;
        int[] seenRows = scratch;
        int nSeen = 0, nScanned = 0;
        double minVal = 0;
        int i = cur, sink = -1;
        while (sink < 0) {
            seenRows[nSeen++] = i;
            final int base = i * n;
            final double h = minVal - u[i];
            final DoubleVector hv = DoubleVector.broadcast(S, h), rowV = DoubleVector.broadcast(S, i);
            // Per lane: the lowest distance, its first column, and whether another column of the
            // lane equalled the lane's running minimum (a possible tie).
            DoubleVector lowV = inf, lowCol = inf, col = lane0;
            VectorMask<Double> tie = S.maskAll(false);
            int j = 0;
            for (; j < upper; j += L) {
                DoubleVector r = DoubleVector.fromArray(S, w, base + j).sub(DoubleVector.fromArray(S, v, j)).add(hv);
                DoubleVector dv = DoubleVector.fromArray(S, dist, j);
                VectorMask<Double> better = r.lt(dv);
                dv = dv.blend(r, better);
                dv.intoArray(dist, j);
                DoubleVector.fromArray(S, pred, j).blend(rowV, better).intoArray(pred, j);
                VectorMask<Double> lower = dv.lt(lowV);
                tie = tie.or(dv.eq(lowV));
                lowV = lowV.blend(dv, lower);
                lowCol = lowCol.blend(col, lower);
                col = col.add(step);
            }
            // The lanes' minimum in scalar code, for the same reason as in twoSmallest.
            lowV.intoArray(lanes, 0);
            lowCol.intoArray(lanes, L);
            double lowest = Double.POSITIVE_INFINITY;
            for (int t = 0; t < L; t++) lowest = Math.min(lowest, lanes[t]);
            int best = n, hits = 0;
            for (int t = 0; t < L; t++) {
                if (lanes[t] == lowest) { hits++; best = Math.min(best, (int) lanes[L + t]); }
            }
            boolean ambiguous = hits > 1 || tie.anyTrue();
            for (; j < n; j++) {
                double r = w[base + j] - v[j] + h, dj = dist[j];
                if (r < dj) { dist[j] = r; pred[j] = i; dj = r; }
                if (dj < lowest) { lowest = dj; best = j; ambiguous = false; }
                else if (dj == lowest) ambiguous = true;
            }
            if (!(lowest < Double.POSITIVE_INFINITY)) {
                throw new IllegalStateException("assignment infeasible (unreachable with finite costs)");
            }
            if (ambiguous) {
                // Several columns may share the lowest distance: take the first, preferring a free
                // one (the search ends there). Rare on real-valued costs, common on integer ones.
                best = nextAt(lowest, 0);
                for (int k = best; k >= 0 && row4col[k] >= 0; ) {
                    k = nextAt(lowest, k + 1);
                    if (k >= 0 && row4col[k] < 0) best = k;
                }
            }
            minVal = lowest;
            shortest[best] = lowest;
            dist[best] = Double.NaN;
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
