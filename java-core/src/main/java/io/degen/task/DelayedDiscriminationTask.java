package io.degen.task;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Delayed discrimination (parametric working memory, Romo-style). Per channel: a pulse of amplitude
 * f1/10 at step {@code onset}, a delay drawn uniformly from [delayMin, delayMax] steps, a pulse f2/10,
 * then a response window of {@code response} steps whose target is sign(f2 - f1). f1, f2 ~ U[2, 10].
 * With {@code aux} an extra output per channel must report |f2 - f1| / 8 in the window. The OOD form
 * doubles the delay. Trial length covers the longest delay of the form.
 */
public final class DelayedDiscriminationTask implements Task {
    private final int channels, delayMin, delayMax, onset, response;
    private final boolean aux, maskResponseOnly;
    private final Map<String, Object> options;

    public static final List<TaskOption> OPTIONS = List.of(
            TaskOption.integer("channels", 1, 1, 64, "independent comparisons (input and output channels)"),
            TaskOption.integer("delay-min", 5, 1, 10000, "shortest delay between the pulses (steps)"),
            TaskOption.integer("delay-max", 20, 1, 10000, "longest delay (steps); delays are uniform in [delay-min, delay-max]"),
            TaskOption.integer("onset", 5, 0, 1000, "step of the first pulse"),
            TaskOption.integer("response", 10, 1, 1000, "steps of the response window"),
            TaskOption.bool("aux", false, "an extra output per channel reports |f2 - f1| / 8 (the auxiliary loss)"),
            TaskOption.bool("mask-response-only", true, "score only the response window"));

    public DelayedDiscriminationTask(Map<String, ?> opts) {
        TaskOptions o = new TaskOptions("delayed-discrimination", OPTIONS, opts);
        channels = o.integer("channels");
        delayMin = o.integer("delay-min");
        delayMax = o.integer("delay-max");
        onset = o.integer("onset");
        response = o.integer("response");
        aux = o.bool("aux");
        maskResponseOnly = o.bool("mask-response-only");
        options = o.options();
        if (delayMax < delayMin) {
            throw new IllegalArgumentException("task.delay-max must be >= task.delay-min, got " + delayMax + " < " + delayMin);
        }
    }

    private int length(int dMax) { return onset + 1 + dMax + 1 + response; }

    public boolean aux() { return aux; }

    @Override public String type() { return "delayed-discrimination"; }
    @Override public int inputSize() { return channels; }
    @Override public int outputSize() { return aux ? 2 * channels : channels; }
    @Override public int primaryOutputs() { return channels; }
    @Override public int trialLength() { return length(delayMax); }
    @Override public double threshold() { return 1e-2; }
    @Override public Map<String, Object> options() { return options; }

    @Override public TrialBatch batch(int batchSize, SplittableRandom rng) { return make(batchSize, delayMin, delayMax, rng); }

    @Override public TrialBatch oodBatch(int batchSize, SplittableRandom rng) {
        return make(batchSize, 2 * delayMin, 2 * delayMax, rng);
    }

    /** Only the doubled delays longer than any training delay: (delay-max, 2 delay-max]. */
    @Override public TrialBatch oodBeyondBatch(int batchSize, SplittableRandom rng) {
        return make(batchSize, Math.max(2 * delayMin, delayMax + 1), 2 * delayMax, rng);
    }

    /** The share of the doubled delays [2 delay-min, 2 delay-max] that lie in the training range [delay-min, delay-max]. */
    @Override public double oodOverlap() {
        int lo = Math.max(2 * delayMin, delayMin), hi = Math.min(2 * delayMax, delayMax);
        return hi < lo ? 0 : (hi - lo + 1) / (double) (2 * delayMax - 2 * delayMin + 1);
    }

    private TrialBatch make(int b, int dMin, int dMax, SplittableRandom rng) {
        int t = length(dMax);
        TrialBatch tb = TrialBatch.zeros(b, t, inputSize(), outputSize());
        if (!maskResponseOnly) java.util.Arrays.fill(tb.mask(), 1.0);
        for (int i = 0; i < b; i++) {
            for (int c = 0; c < channels; c++) {
                double f1 = 2 + 8 * rng.nextDouble(), f2 = 2 + 8 * rng.nextDouble();
                int delay = dMin + rng.nextInt(dMax - dMin + 1);
                int t2 = onset + 1 + delay;
                tb.input()[tb.inIndex(i, onset, c)] = f1 / 10;
                tb.input()[tb.inIndex(i, t2, c)] = f2 / 10;
                double sign = Math.signum(f2 - f1), mag = Math.abs(f2 - f1) / 8;
                for (int s = t2 + 1; s <= t2 + response; s++) {
                    tb.target()[tb.outIndex(i, s, c)] = sign;
                    tb.mask()[tb.outIndex(i, s, c)] = 1;
                    if (aux) {
                        tb.target()[tb.outIndex(i, s, channels + c)] = mag;
                        tb.mask()[tb.outIndex(i, s, channels + c)] = 1;
                    }
                }
            }
        }
        return tb;
    }
}
