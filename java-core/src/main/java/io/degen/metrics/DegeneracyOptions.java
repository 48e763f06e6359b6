package io.degen.metrics;

/**
 * Settings of a degeneracy analysis of one population (condition): DSA embedding and score, probe
 * trials used to record trajectories and for OOD loss, d_PIF restarts, and the seed of every
 * random choice so the analysis is reproducible.
 */
public record DegeneracyOptions(int dsaDelays, int dsaDelayInterval, int dsaRank, String dsaScore,
                                int probeTrials, int oodTrials, int pifRestarts, boolean ntk, int ntkTrials,
                                long seed, int threads) {
    public static DegeneracyOptions defaults() {
        return new DegeneracyOptions(5, 1, 20, "angular", 64, 256, 4, true, 8, 12345L,
                Runtime.getRuntime().availableProcessors());
    }

    public DegeneracyOptions withDsa(int delays, int rank) {
        return new DegeneracyOptions(delays, dsaDelayInterval, rank, dsaScore, probeTrials, oodTrials, pifRestarts, ntk, ntkTrials, seed, threads);
    }

    public DegeneracyOptions withThreads(int t) {
        return new DegeneracyOptions(dsaDelays, dsaDelayInterval, dsaRank, dsaScore, probeTrials, oodTrials, pifRestarts, ntk, ntkTrials, seed, t);
    }

    public DegeneracyOptions withProbeTrials(int p) {
        return new DegeneracyOptions(dsaDelays, dsaDelayInterval, dsaRank, dsaScore, p, oodTrials, pifRestarts, ntk, ntkTrials, seed, threads);
    }
}
