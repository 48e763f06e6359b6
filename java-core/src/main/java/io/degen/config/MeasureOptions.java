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
                                long seed, int threads, String metricsBackend, String probe) {
    /** Every network runs on the same probe trials (the DSA package's and the paper's use). */
    public static final String SHARED = "shared";
    /** Each network runs on probe trials of its own (drawn from the seed and its id). */
    public static final String PER_NETWORK = "per-network";

    /** With the shared probe trials. */
    public MeasureOptions(int dsaDelays, int dsaDelayInterval, int dsaRank, String dsaScore, int probeTrials, int oodTrials,
                          int pifRestarts, boolean ntk, int ntkTrials, long seed, int threads, String metricsBackend) {
        this(dsaDelays, dsaDelayInterval, dsaRank, dsaScore, probeTrials, oodTrials, pifRestarts, ntk, ntkTrials, seed, threads,
                metricsBackend, SHARED);
    }

    /**
     * The engines a metrics backend may name ({@link Schema#METRICS_BACKENDS}). Not "auto": the engine
     * it picks depends on the machine, and stored metric blocks are keyed by the name.
     */
    public static final java.util.Set<String> METRICS_BACKENDS = java.util.Set.copyOf(Schema.METRICS_BACKENDS);

    public MeasureOptions {
        if (metricsBackend == null || !METRICS_BACKENDS.contains(metricsBackend)) {
            throw new IllegalArgumentException("metrics backend must be one of java, mkl, cuda; got '" + metricsBackend + "'");
        }
        if (!SHARED.equals(probe) && !PER_NETWORK.equals(probe)) throw new IllegalArgumentException("measure.probe must be shared or per-network, got '" + probe + "'");
    }

    /** The schema's defaults, all levels (the NTK included), on every available core. */
    public static MeasureOptions defaults() {
        return new MeasureOptions(i("measure.dsa", "n-delays"), i("measure.dsa", "delay-interval"), i("measure.dsa", "rank"),
                (String) Schema.def("measure.dsa", "score"), i("measure", "probe-trials"), i("measure", "ood-trials"),
                i("measure", "pif-restarts"), true, i("measure", "ntk-trials"), ((Number) Schema.def("measure", "seed")).longValue(),
                Runtime.getRuntime().availableProcessors(), (String) Schema.def("measure", "metrics-backend"), (String) Schema.def("measure", "probe"));
    }

    private static int i(String section, String key) { return ((Number) Schema.def(section, key)).intValue(); }

    /** The options as a plain map, exactly as they are written to JSON. */
    @SuppressWarnings("unchecked")
    public java.util.Map<String, Object> toMap() {
        return io.degen.util.Json.MAPPER.convertValue(this, java.util.LinkedHashMap.class);
    }

    public MeasureOptions withMetricsBackend(String b) {
        return new MeasureOptions(dsaDelays, dsaDelayInterval, dsaRank, dsaScore, probeTrials, oodTrials, pifRestarts, ntk, ntkTrials, seed, threads, b, probe);
    }

    /** Why the DSA settings cannot be fitted on networks of {@code units} units over trials of {@code time} steps: the field to change, the reason, its value. */
    public record DsaMisfit(String field, String reason, Object value) { }

    /**
     * The first DSA setting that networks of {@code units} units, recorded over {@code probeTrials}
     * trials of {@code time} steps, cannot give (the limits the HAVOK fit enforces), or null. One
     * rule for the plan's check and the sensitivity grid's.
     */
    public DsaMisfit dsaMisfit(int units, int time) {
        DsaMisfit wide = rankMisfit(units);
        if (wide != null) return wide;
        long window = (long) (dsaDelays - 1) * dsaDelayInterval;
        if (time < window + 2) {
            String need = "trials of at least (n-delays - 1) x delay-interval + 2 = (" + dsaDelays + " - 1) x " + dsaDelayInterval + " + 2 = "
                    + (window + 2) + " time steps, but the task's trials have " + time;
            return dsaDelayInterval > 1
                    ? new DsaMisfit("delay-interval", "with n-delays " + dsaDelays + " needs " + need, dsaDelayInterval)
                    : new DsaMisfit("n-delays", "needs " + need, dsaDelays);
        }
        // The fit regresses each delay vector on the next: probe-trials x (T - window - 1) pairs bound the rank.
        long pairs = (long) probeTrials * (time - window - 1);
        if (dsaRank > pairs) {
            return new DsaMisfit("rank", "must be at most probe-trials x (time - (n-delays - 1) x delay-interval - 1) = " + probeTrials
                    + " x (" + time + " - " + window + " - 1) = " + pairs + " (the regression pairs of the fit)", dsaRank);
        }
        return null;
    }

    /** The rank against the delay-embedding's width, n-delays x units (all that is known without the trials), or null. */
    public DsaMisfit rankMisfit(int units) {
        long most = (long) dsaDelays * units;
        if (dsaRank <= most) return null;
        return new DsaMisfit("rank", "must be at most n-delays x units = " + dsaDelays + " x " + units + " = " + most
                + " for networks of " + units + " units", dsaRank);
    }

    public MeasureOptions withDsa(int delays, int rank) {
        return new MeasureOptions(delays, dsaDelayInterval, rank, dsaScore, probeTrials, oodTrials, pifRestarts, ntk, ntkTrials, seed, threads, metricsBackend, probe);
    }

    public MeasureOptions withThreads(int t) {
        return new MeasureOptions(dsaDelays, dsaDelayInterval, dsaRank, dsaScore, probeTrials, oodTrials, pifRestarts, ntk, ntkTrials, seed, t, metricsBackend, probe);
    }

    public MeasureOptions withProbe(String mode) {
        return new MeasureOptions(dsaDelays, dsaDelayInterval, dsaRank, dsaScore, probeTrials, oodTrials, pifRestarts, ntk, ntkTrials, seed, threads, metricsBackend, mode);
    }

    public MeasureOptions withProbeTrials(int p) {
        return new MeasureOptions(dsaDelays, dsaDelayInterval, dsaRank, dsaScore, p, oodTrials, pifRestarts, ntk, ntkTrials, seed, threads, metricsBackend, probe);
    }
}
