package io.degen.task;

/**
 * A batch of trials, batch-major as users expect: inputs (B,T,I), targets (B,T,O) and a loss mask
 * (B,T,O) of 0/1 weights, flattened in C order.
 */
public record TrialBatch(int batch, int time, int inputs, int outputs,
                         double[] input, double[] target, double[] mask) {
    public TrialBatch {
        if (input.length != batch * time * inputs || target.length != batch * time * outputs
                || mask.length != batch * time * outputs) {
            throw new IllegalArgumentException("trial arrays do not match shape B=" + batch + " T=" + time
                    + " I=" + inputs + " O=" + outputs);
        }
    }

    public static TrialBatch zeros(int batch, int time, int inputs, int outputs) {
        return new TrialBatch(batch, time, inputs, outputs, new double[batch * time * inputs],
                new double[batch * time * outputs], new double[batch * time * outputs]);
    }

    public int inIndex(int b, int t, int i) { return (b * time + t) * inputs + i; }

    public int outIndex(int b, int t, int o) { return (b * time + t) * outputs + o; }

    /** Sum of mask weights: the count of scored outputs. */
    public double maskCount() {
        double s = 0;
        for (double m : mask) s += m;
        return s;
    }
}
