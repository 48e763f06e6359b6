package io.degen.task;

import java.util.Map;
import java.util.SplittableRandom;

/**
 * Base of the tasks whose out-of-distribution form is the same task with the trial length doubled
 * (flip-flop, sine wave, path integration, Lorenz-96): subclasses generate trials of any length.
 */
abstract class LengthDoublingTask implements Task {
    private final String type;
    private final double threshold;
    protected final int time;
    private final Map<String, Object> options;

    /** The option every such task has: the trial length of the training form. */
    static TaskOption time(int def, String doc) { return TaskOption.integer("time", def, 2, 100000, doc); }

    /** Reads the shared {@code time} option; the subclass reads its own. */
    LengthDoublingTask(String type, double threshold, TaskOptions o) {
        this.type = type;
        this.threshold = threshold;
        this.time = o.integer("time");
        this.options = o.options();
    }

    /** {@code b} trials of {@code t} steps. */
    protected abstract TrialBatch make(int b, int t, SplittableRandom rng);

    @Override public final String type() { return type; }
    @Override public final int trialLength() { return time; }
    @Override public final double threshold() { return threshold; }
    @Override public final Map<String, Object> options() { return options; }

    @Override public final TrialBatch batch(int batchSize, SplittableRandom rng) { return make(batchSize, time, rng); }

    @Override public final TrialBatch oodBatch(int batchSize, SplittableRandom rng) { return make(batchSize, 2 * time, rng); }
}
