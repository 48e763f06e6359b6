package io.degen.task;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Path integration in 2-D or 3-D. Each step the network receives its heading (2-D: cos and sin of
 * the angle; 3-D: cos and sin of azimuth and of elevation) and speed; at the first step it also
 * receives the initial position / 5. The target is the position, inside the box [-5, 5]^d. Walls
 * stop motion: a step that would leave the box is clipped to the wall (the position saturates).
 * Heading follows a random walk (angle increments ~ N(0, turn^2)); speed ~ U[0, vMax]. OOD form:
 * trial length doubled.
 */
public final class PathIntegrationTask extends LengthDoublingTask {
    public static final double BOX = 5.0;
    private final int dims;
    private final double turn, vMax, start;

    public static final List<TaskOption> OPTIONS = List.of(
            TaskOption.integer("dims", 2, 2, 3, "dimensions of the arena (2-D or 3-D)"),
            time(100, "trial length (steps)"),
            TaskOption.number("turn", 0.3, 0, 10, "SD of the heading change per step (radians)"),
            TaskOption.number("speed-max", 0.25, 1e-6, BOX, "speeds are uniform in [0, speed-max]"),
            TaskOption.number("start-range", 2.0, 0, BOX, "start positions are uniform in [-start-range, start-range] per axis"));

    public PathIntegrationTask(Map<String, ?> opts) { this(new TaskOptions("path-integration", OPTIONS, opts)); }

    private PathIntegrationTask(TaskOptions o) {
        super("path-integration", 5e-2, o);
        dims = o.integer("dims");
        turn = o.number("turn");
        vMax = o.number("speed-max");
        start = o.number("start-range");
    }

    private int headingInputs() { return dims == 2 ? 2 : 4; }

    @Override public int inputSize() { return headingInputs() + 1 + dims; }
    @Override public int outputSize() { return dims; }

    @Override protected TrialBatch make(int b, int t, SplittableRandom rng) {
        TrialBatch tb = TrialBatch.zeros(b, t, inputSize(), outputSize());
        java.util.Arrays.fill(tb.mask(), 1.0);
        int hIn = headingInputs();
        double[] pos = new double[dims];
        for (int i = 0; i < b; i++) {
            for (int d = 0; d < dims; d++) pos[d] = start * (2 * rng.nextDouble() - 1);
            for (int d = 0; d < dims; d++) tb.input()[tb.inIndex(i, 0, hIn + 1 + d)] = pos[d] / BOX;
            double az = 2 * Math.PI * rng.nextDouble(), el = dims == 3 ? Math.PI * (rng.nextDouble() - 0.5) : 0;
            for (int s = 0; s < t; s++) {
                az += turn * gaussian(rng);
                if (dims == 3) el = Math.max(-Math.PI / 2, Math.min(Math.PI / 2, el + turn * gaussian(rng)));
                double v = vMax * rng.nextDouble();
                double[] step;
                if (dims == 2) {
                    step = new double[] {Math.cos(az), Math.sin(az)};
                    tb.input()[tb.inIndex(i, s, 0)] = Math.cos(az);
                    tb.input()[tb.inIndex(i, s, 1)] = Math.sin(az);
                } else {
                    step = new double[] {Math.cos(el) * Math.cos(az), Math.cos(el) * Math.sin(az), Math.sin(el)};
                    tb.input()[tb.inIndex(i, s, 0)] = Math.cos(az);
                    tb.input()[tb.inIndex(i, s, 1)] = Math.sin(az);
                    tb.input()[tb.inIndex(i, s, 2)] = Math.cos(el);
                    tb.input()[tb.inIndex(i, s, 3)] = Math.sin(el);
                }
                tb.input()[tb.inIndex(i, s, hIn)] = v;
                for (int d = 0; d < dims; d++) {
                    pos[d] = Math.max(-BOX, Math.min(BOX, pos[d] + v * step[d]));
                    tb.target()[tb.outIndex(i, s, d)] = pos[d];
                }
            }
        }
        return tb;
    }

    static double gaussian(SplittableRandom rng) {
        // Box-Muller from the task's own stream keeps trials a pure function of the seed.
        double u1 = rng.nextDouble(), u2 = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }
}
