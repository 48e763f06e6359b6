package io.degen.task;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * N-bit flip-flop (Sussillo and Barak 2013). Per channel and step a pulse of +1 or -1 arrives with
 * probability {@code p}; the target holds the sign of the last pulse (0 before the first). OOD form:
 * the trial length is doubled. See docs/tasks.md for the chosen constants.
 */
public final class FlipFlopTask extends LengthDoublingTask {
    private final int channels;
    private final double p;

    public static final List<TaskOption> OPTIONS = List.of(
            TaskOption.integer("channels", 3, 1, 64, "independent bits (input and output channels)"),
            time(100, "trial length (steps)"),
            TaskOption.number("p", 0.05, 1e-6, 1.0, "probability of a pulse per channel and step"));

    public FlipFlopTask(Map<String, ?> opts) { this(new TaskOptions("flipflop", OPTIONS, opts)); }

    private FlipFlopTask(TaskOptions o) {
        super("flipflop", 1e-3, o);
        channels = o.integer("channels");
        p = o.number("p");
    }

    @Override public int inputSize() { return channels; }
    @Override public int outputSize() { return channels; }

    @Override protected TrialBatch make(int b, int t, SplittableRandom rng) {
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
