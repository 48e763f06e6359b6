package io.degen.metrics.dsa;

import java.util.Locale;

/**
 * Settings of Dynamical Similarity Analysis: the HAVOK fit (delay embedding, rank, ridge) and the
 * comparison (score, optimiser seed and effort).
 *
 * @param nDelays       number of delays in the Hankel embedding, {@code >= 1} (1 = no embedding)
 * @param delayInterval time steps between consecutive delays, {@code >= 1}
 * @param rank          columns of the Hankel SVD kept; {@link #FULL_RANK} (0) keeps all of them
 * @param ridge         ridge penalty lambda of the regression, {@code >= 0} (0 = ordinary least squares)
 * @param score         which Procrustes score {@link DsaMetric#distance} returns
 * @param seed          seed of the optimiser's random starts (results are deterministic given it)
 * @param randomStarts  random orthogonal starts of the optimiser, besides the structured ones
 */
public record DsaParams(int nDelays, int delayInterval, int rank, double ridge, Score score, long seed, int randomStarts) {
    public static final int FULL_RANK = 0;
    /**
     * With the 4 structured starts, 24 in all. On 66 pairs of trained flip-flop networks' operators
     * (docs/metrics-dsa.md) 12 and 16 random starts left no pair above the DSA package's distance
     * either, but stayed 2.3e-4 and 1.9e-4 above a 108-start search on average (worst 7e-3 and
     * 5e-3); 20 gives 1.0e-4 (worst 1.2e-3).
     */
    public static final int DEFAULT_RANDOM_STARTS = 20;

    /** The two published Procrustes-over-vector-fields scores. */
    public enum Score {
        /** arccos of the cosine between A and C B C^T: in [0, pi]. */
        ANGULAR,
        /** Frobenius norm |A - C B C^T|: in [0, 2]. */
        EUCLIDEAN;

        public String label() { return name().toLowerCase(Locale.ROOT); }

        public static Score parse(String s) {
            if (s == null) throw new IllegalArgumentException("score must be angular or euclidean, got null");
            switch (s.toLowerCase(Locale.ROOT)) {
                case "angular": return ANGULAR;
                case "euclidean": return EUCLIDEAN;
                default: throw new IllegalArgumentException("score must be angular or euclidean, got '" + s + "'");
            }
        }
    }

    public DsaParams {
        if (nDelays < 1) throw new IllegalArgumentException("n_delays must be >= 1, got " + nDelays);
        if (delayInterval < 1) throw new IllegalArgumentException("delay_interval must be >= 1, got " + delayInterval);
        if (rank < 0) throw new IllegalArgumentException("rank must be >= 1 (or 0 for full rank), got " + rank);
        if (!(ridge >= 0) || Double.isInfinite(ridge)) throw new IllegalArgumentException("ridge must be a finite number >= 0, got " + ridge);
        if (score == null) throw new IllegalArgumentException("score must be angular or euclidean, got null");
        if (randomStarts < 0) throw new IllegalArgumentException("random_starts must be >= 0, got " + randomStarts);
    }

    /** n_delays 1, interval 1, full rank, no ridge, angular score, seed 0. */
    public static DsaParams defaults() { return new DsaParams(1, 1, FULL_RANK, 0, Score.ANGULAR, 0L, DEFAULT_RANDOM_STARTS); }

    public static DsaParams of(int nDelays, int delayInterval, int rank) {
        return new DsaParams(nDelays, delayInterval, rank, 0, Score.ANGULAR, 0L, DEFAULT_RANDOM_STARTS);
    }

    public DsaParams withScore(Score s) { return new DsaParams(nDelays, delayInterval, rank, ridge, s, seed, randomStarts); }

    public DsaParams withRidge(double lambda) { return new DsaParams(nDelays, delayInterval, rank, lambda, score, seed, randomStarts); }

    public DsaParams withSeed(long s) { return new DsaParams(nDelays, delayInterval, rank, ridge, score, s, randomStarts); }

    public DsaParams withRandomStarts(int k) { return new DsaParams(nDelays, delayInterval, rank, ridge, score, seed, k); }
}
