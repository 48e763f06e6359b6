package io.degen.metrics;

import io.degen.util.Pools;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;

/**
 * Symmetric pairwise distance matrices, computed in parallel over pairs. Items are fitted once
 * by the caller (e.g. one DSA operator per network), so each pair costs only the comparison.
 */
public final class Pairwise {
    private Pairwise() { }

    public static <T> double[][] matrix(List<T> items, Metric<T> metric, int threads) {
        return matrix(items, metric, threads, "", PairProgress.NONE);
    }

    /** The matrix, telling {@code progress} as its pairs finish (as {@code what}). */
    public static <T> double[][] matrix(List<T> items, Metric<T> metric, int threads, String what, PairProgress progress) {
        int n = items.size();
        double[][] d = new double[n][n];
        List<int[]> pairs = pairs(n);
        double[] v = distances(items, metric, pairs, threads, what, progress);
        for (int q = 0; q < pairs.size(); q++) { int[] p = pairs.get(q); d[p[0]][p[1]] = v[q]; d[p[1]][p[0]] = v[q]; }
        return d;
    }

    /** Every pair (i, j), i &lt; j &lt; n, in row-major order. */
    public static List<int[]> pairs(int n) {
        List<int[]> p = new ArrayList<>();
        for (int i = 0; i < n; i++) for (int j = i + 1; j < n; j++) p.add(new int[] {i, j});
        return p;
    }

    /** Distances of the given pairs (index pairs into {@code items}), in parallel over pairs; in pair order. */
    public static <T> double[] distances(List<T> items, Metric<T> metric, List<int[]> pairs, int threads) {
        return distances(items, metric, pairs, threads, "", PairProgress.NONE);
    }

    /** The distances, telling {@code progress} as each pair finishes (as {@code what}). */
    public static <T> double[] distances(List<T> items, Metric<T> metric, List<int[]> pairs, int threads, String what, PairProgress progress) {
        double[] d = new double[pairs.size()];
        if (pairs.isEmpty()) return d;
        final int total = pairs.size();
        java.util.concurrent.atomic.AtomicInteger finished = new java.util.concurrent.atomic.AtomicInteger();
        progress.pairsDone(what, 0, total);
        int t = Math.max(1, Math.min(threads, pairs.size()));
        if (t == 1) {
            for (int q = 0; q < pairs.size(); q++) {
                int[] p = pairs.get(q);
                d[q] = metric.distance(items.get(p[0]), items.get(p[1]));
                progress.pairsDone(what, q + 1, total);
            }
            return d;
        }
        ExecutorService pool = Executors.newFixedThreadPool(t, r -> { Thread th = new Thread(r, "pairwise"); th.setDaemon(true); return th; });
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int w = 0; w < t; w++) {
                final int worker = w;
                fs.add(pool.submit(() -> {
                    for (int q = worker; q < pairs.size(); q += t) {
                        int[] p = pairs.get(q);
                        d[q] = metric.distance(items.get(p[0]), items.get(p[1]));
                        progress.pairsDone(what, finished.incrementAndGet(), total);
                    }
                }));
            }
            for (Future<?> f : fs) f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("pairwise computation interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) throw re;
            throw new IllegalStateException(c);
        } finally {
            Pools.stopAndWait(pool);
        }
        return d;
    }
}
