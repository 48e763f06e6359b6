package io.degen.config;

/**
 * Settings of a degeneracy analysis of one population (condition): DSA embedding and score, probe
 * trials used to record trajectories and for OOD loss, d_PIF restarts, the seed of every random
 * choice so the analysis is reproducible, and {@code metricsBackend}, the engine of the DSA fits
 * and the d_PIF gradient products. That engine defaults to {@code java}, whose results are the same
 * on every machine; {@code mkl} is faster (DSA fits ~4x) and agrees to rounding, which can move a
 * non-convex optimum slightly (DSA means by ~1e-6). It is part of the options, so stored metric
 * blocks computed with one engine are never combined with another's.
 */
public record MeasureOptions(int dsaDelays, int dsaDelayInterval, int dsaRank, String dsaScore,
                                int probeTrials, int oodTrials, int pifRestarts, boolean ntk, int ntkTrials,
                                long seed, int threads, String metricsBackend) {
    /**
     * The engines a metrics backend may name. Not "auto": the engine it picks depends on the
     * machine, and stored metric blocks are keyed by the name.
     */
    public static final java.util.Set<String> METRICS_BACKENDS = java.util.Set.of("java", "mkl", "cuda");

    public MeasureOptions {
        if (metricsBackend == null || !METRICS_BACKENDS.contains(metricsBackend)) {
            throw new IllegalArgumentException("metrics backend must be one of java, mkl, cuda; got '" + metricsBackend + "'");
        }
    }

    public static MeasureOptions defaults() {
        return new MeasureOptions(5, 1, 20, "angular", 64, 256, 4, true, 8, 12345L,
                Runtime.getRuntime().availableProcessors(), "java");
    }

    /** The options as a plain map, exactly as they are written to JSON. */
    @SuppressWarnings("unchecked")
    public java.util.Map<String, Object> toMap() {
        return io.degen.util.Json.MAPPER.convertValue(this, java.util.LinkedHashMap.class);
    }

    public MeasureOptions withMetricsBackend(String b) {
        return new MeasureOptions(dsaDelays, dsaDelayInterval, dsaRank, dsaScore, probeTrials, oodTrials, pifRestarts, ntk, ntkTrials, seed, threads, b);
    }

    public MeasureOptions withDsa(int delays, int rank) {
        return new MeasureOptions(delays, dsaDelayInterval, rank, dsaScore, probeTrials, oodTrials, pifRestarts, ntk, ntkTrials, seed, threads, metricsBackend);
    }

    public MeasureOptions withThreads(int t) {
        return new MeasureOptions(dsaDelays, dsaDelayInterval, dsaRank, dsaScore, probeTrials, oodTrials, pifRestarts, ntk, ntkTrials, seed, t, metricsBackend);
    }

    public MeasureOptions withProbeTrials(int p) {
        return new MeasureOptions(dsaDelays, dsaDelayInterval, dsaRank, dsaScore, p, oodTrials, pifRestarts, ntk, ntkTrials, seed, threads, metricsBackend);
    }
}
