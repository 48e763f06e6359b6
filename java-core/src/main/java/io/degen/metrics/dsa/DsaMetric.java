package io.degen.metrics.dsa;

import io.degen.backend.Backend;
import io.degen.io.NdArray;
import io.degen.metrics.Metric;
import io.degen.metrics.Pairwise;
import io.degen.util.Pools;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Dynamical Similarity Analysis (Ostrow et al., NeurIPS 2023): fit one HAVOK operator per system
 * ({@link HavokDmd}), then compare operators by Procrustes analysis over vector fields on O(n)
 * ({@link VectorFieldProcrustes}). The distance is the angular or euclidean score of
 * {@link DsaParams#score()}: 0 for systems whose operators are orthogonally similar, symmetric,
 * angular in [0, pi], euclidean in [0, 2].
 */
public final class DsaMetric implements Metric<Operator> {
    private final DsaParams params;
    private final VectorFieldProcrustes.Options options;
    private final Backend backend;

    /**
     * @param backend the engine of the HAVOK fits (Gram products and the top-r eigenpairs; with
     *                {@code mkl} LAPACK computes only the r pairs). The pairwise alignment of the
     *                small r x r operators runs in plain Java on any engine.
     */
    public DsaMetric(DsaParams params, Backend backend) {
        this(params, params == null ? null : VectorFieldProcrustes.Options.defaults().withSeed(params.seed()).withRandomStarts(params.randomStarts()),
                backend);
    }

    public DsaMetric(DsaParams params, VectorFieldProcrustes.Options options, Backend backend) {
        if (params == null || options == null) throw new IllegalArgumentException("params and options are required");
        if (backend == null) throw new IllegalArgumentException("backend must not be null");
        this.params = params;
        this.options = options;
        this.backend = backend;
    }

    public DsaParams params() { return params; }

    public VectorFieldProcrustes.Options options() { return options; }

    @Override public String name() { return "dsa"; }

    /** Fits the HAVOK operator of X (trials, time, units) or (time, units) with this metric's params. */
    public Operator fit(NdArray x) { return HavokDmd.fit(backend, x, params, "X"); }

    /** As {@link #fit(NdArray)}, naming the data {@code what} in error messages. */
    public Operator fit(NdArray x, String what) { return HavokDmd.fit(backend, x, params, what); }

    @Override public double distance(Operator a, Operator b) { return align(a, b).score(params.score()); }

    /**
     * The full comparison: the optimal orthogonal C, the normalised operators and both scores, so
     * that |result.a() - C result.b() C^T|_F = result.euclidean().
     */
    public VectorFieldProcrustes.Result align(Operator a, Operator b) {
        if (a == null || b == null) throw new IllegalArgumentException("both operators are required");
        if (a.rank() != b.rank()) {
            throw new IllegalArgumentException("operators have different ranks: " + a.rank() + " vs " + b.rank()
                    + " (fit both systems with the same rank)");
        }
        return VectorFieldProcrustes.align(a.a(), b.a(), options);
    }

    /** Distance between two systems, each fitted once. */
    public double distance(NdArray x, NdArray y) { return distance(fit(x, "X"), fit(y, "Y")); }

    /** Fits every system (in parallel) and returns the symmetric distance matrix (zero diagonal). */
    public double[][] matrix(List<NdArray> systems, int threads) {
        return Pairwise.matrix(fitAll(systems, threads), this, threads);
    }

    /** Fits each system once, in parallel over {@code threads}; names them "system i" in errors. */
    public List<Operator> fitAll(List<NdArray> systems, int threads) { return fitAll(systems, null, threads); }

    /** As {@link #fitAll(List, int)}, naming system i {@code names.get(i)} in errors (null: "system i"). */
    public List<Operator> fitAll(List<NdArray> systems, List<String> names, int threads) {
        int n = systems.size();
        if (names != null && names.size() != n) throw new IllegalArgumentException(n + " systems but " + names.size() + " names");
        java.util.function.IntFunction<String> name = i -> names == null ? "system " + i : names.get(i);
        Operator[] out = new Operator[n];
        int t = Math.max(1, Math.min(threads, n));
        if (t == 1) {
            for (int i = 0; i < n; i++) out[i] = fit(systems.get(i), name.apply(i));
            return Arrays.asList(out);
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(t, r -> {
            Thread th = new Thread(r, "dsa-fit");
            th.setDaemon(true);
            return th;
        });
        try {
            List<java.util.concurrent.Future<?>> fs = new ArrayList<>();
            for (int w = 0; w < t; w++) {
                final int worker = w;
                fs.add(pool.submit(() -> {
                    for (int i = worker; i < n; i += t) out[i] = fit(systems.get(i), name.apply(i));
                }));
            }
            for (java.util.concurrent.Future<?> f : fs) f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("fitting interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new IllegalStateException(e.getCause());
        } finally {
            Pools.stopAndWait(pool);
        }
        return Arrays.asList(out);
    }

    /**
     * A same-network null distribution: {@code splits} times, the trials of X are shuffled (seeded)
     * and cut into two disjoint halves of floor(trials / 2) trials; each half is fitted and the
     * distance between the halves recorded. X needs at least 2 trials.
     */
    public double[] nullDistances(NdArray x, int splits, long seed) {
        NdArray xt = DelayEmbedding.asTrials(x, "X");
        int trials = xt.dim(0), time = xt.dim(1), units = xt.dim(2);
        if (splits < 1) throw new IllegalArgumentException("splits must be >= 1, got " + splits);
        if (trials < 2) throw new IllegalArgumentException("X needs at least 2 trials to split into halves, got " + trials);
        int half = trials / 2, per = time * units;
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] out = new double[splits];
        for (int s = 0; s < splits; s++) {
            int[] perm = new int[trials];
            for (int i = 0; i < trials; i++) perm[i] = i;
            for (int i = trials - 1; i > 0; i--) { int j = rnd.nextInt(i + 1); int tmp = perm[i]; perm[i] = perm[j]; perm[j] = tmp; }
            double[] d1 = new double[half * per], d2 = new double[half * per];
            for (int i = 0; i < half; i++) {
                System.arraycopy(xt.data(), perm[i] * per, d1, i * per, per);
                System.arraycopy(xt.data(), perm[half + i] * per, d2, i * per, per);
            }
            Operator o1 = fit(NdArray.f64(d1, half, time, units), "X (split " + s + ", first half)");
            Operator o2 = fit(NdArray.f64(d2, half, time, units), "X (split " + s + ", second half)");
            out[s] = distance(o1, o2);
        }
        return out;
    }
}
