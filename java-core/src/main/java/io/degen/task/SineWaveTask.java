package io.degen.task;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Sine-wave generation. Each channel receives a static input f / fMax encoding a frequency drawn
 * from {@code frequencies} values evenly spaced in [1, 30] Hz; its output must follow
 * sin(2 pi f t) with t = (s + 1) dt. dt = 1/240 s gives the fastest (30 Hz) sine 8 samples per
 * period. OOD form: trial length doubled.
 */
public final class SineWaveTask extends LengthDoublingTask {
    public static final double F_MIN = 1.0, F_MAX = 30.0;
    private final int channels, nFreq;
    private final double dt;

    public static final List<TaskOption> OPTIONS = List.of(
            TaskOption.integer("channels", 1, 1, 64, "independent generators (input and output channels)"),
            time(100, "trial length (steps)"),
            TaskOption.integer("frequencies", 10, 1, 1000, "target frequencies, evenly spaced in [1, 30] Hz"),
            TaskOption.number("dt", 1.0 / 240.0, 1e-6, 1.0 / (8 * F_MAX), "seconds per step (the fastest sine gets at least 8 samples a period)"));

    public SineWaveTask(Map<String, ?> opts) { this(new TaskOptions("sine", OPTIONS, opts)); }

    private SineWaveTask(TaskOptions o) {
        super("sine", 5e-2, o);
        channels = o.integer("channels");
        nFreq = o.integer("frequencies");
        dt = o.number("dt");
    }

    public double frequency(int k) {
        return nFreq == 1 ? F_MIN : F_MIN + (F_MAX - F_MIN) * k / (nFreq - 1);
    }

    @Override public int inputSize() { return channels; }
    @Override public int outputSize() { return channels; }

    @Override protected TrialBatch make(int b, int t, SplittableRandom rng) {
        TrialBatch tb = TrialBatch.zeros(b, t, channels, channels);
        java.util.Arrays.fill(tb.mask(), 1.0);
        for (int i = 0; i < b; i++) {
            for (int c = 0; c < channels; c++) {
                double f = frequency(rng.nextInt(nFreq));
                for (int s = 0; s < t; s++) {
                    tb.input()[tb.inIndex(i, s, c)] = f / F_MAX;
                    tb.target()[tb.outIndex(i, s, c)] = Math.sin(2 * Math.PI * f * (s + 1) * dt);
                }
            }
        }
        return tb;
    }
}
