package io.degen.task;

import java.util.Map;
import java.util.SplittableRandom;

/**
 * N-bit flip-flop (Sussillo and Barak 2013). Per channel and step a pulse of +1 or -1 arrives with
 * probability {@code p}; the target holds the sign of the last pulse (0 before the first). OOD form:
 * the trial length is doubled. See docs/tasks.md for the chosen constants.
 */
public final class FlipFlopTask implements Task {
    private final int channels, time;
    private final double p;
    private final Map<String, Object> options;

    public FlipFlopTask(Map<String, ?> opts) {
        TaskOptions o = new TaskOptions("flipflop", opts);
        channels = o.integer("channels", 3, 1, 64);
        time = o.integer("time", 100, 2, 100000);
        p = o.number("p", 0.05, 1e-6, 1.0);
        options = o.finish();
    }

    @Override public String type() { return "flipflop"; }
    @Override public int inputSize() { return channels; }
    @Override public int outputSize() { return channels; }
    @Override public int trialLength() { return time; }
    @Override public double threshold() { return 1e-3; }
    @Override public Map<String, Object> options() { return options; }

    @Override public TrialBatch batch(int batchSize, SplittableRandom rng) { return make(batchSize, time, rng); }

    @Override public TrialBatch oodBatch(int batchSize, SplittableRandom rng) { return make(batchSize, 2 * time, rng); }

    private TrialBatch make(int b, int t, SplittableRandom rng) {
        TrialBatch tb = TrialBatch.zeros(b, t, channels, channels);
        java.util.Arrays.fill(tb.mask(), 1.0);
        for (int i = 0; i < b; i++) {
            for (int c = 0; c < channels; c++) {
                double state = 0;
                for (int s = 0; s < t; s++) {
                    if (rng.nextDouble() < p) {
                        state = rng.nextBoolean() ? 1.0 : -1.0;
                        tb.input()[tb.inIndex(i, s, c)] = state;
                    }
                    tb.target()[tb.outIndex(i, s, c)] = state;
                }
            }
        }
        return tb;
    }
}
