package io.degen.task;

import java.util.Map;
import java.util.SplittableRandom;

/**
 * A supervised sequence task. Batches are a pure function of the random source, so the same seed
 * always gives the same trials. User-defined tasks implement this interface (or register a
 * generator through {@link TaskRegistry}) and train and measure like the built-in ones.
 */
public interface Task {
    /** Registry name, e.g. "flipflop". */
    String type();

    int inputSize();

    int outputSize();

    /**
     * The task's own outputs: the first this many output channels. The rest (an auxiliary loss's
     * extra outputs) are trained but not what the stopping rule watches by default.
     */
    default int primaryOutputs() { return outputSize(); }

    /** Trial length of the training form (steps). */
    int trialLength();

    /** Early-stopping threshold on the epoch training MSE (the paper's per-task value). */
    double threshold();

    /** Trials of the training distribution. */
    TrialBatch batch(int batchSize, SplittableRandom rng);

    /** Trials of the out-of-distribution form used for behavioural degeneracy (the paper's definition). */
    TrialBatch oodBatch(int batchSize, SplittableRandom rng);

    /**
     * Trials of the OOD form restricted to what training never shows (e.g. only delays beyond the
     * training range); by default the OOD form itself, where it lies beyond training already.
     */
    default TrialBatch oodBeyondBatch(int batchSize, SplittableRandom rng) { return oodBatch(batchSize, rng); }

    /** The share of the OOD form's trials that training could also draw (0 when the whole form lies beyond it). */
    default double oodOverlap() { return 0; }

    /** The full, defaulted options this task was built from (recorded with every run). */
    Map<String, Object> options();
}
