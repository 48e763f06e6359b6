package io.degen.testkit;

import io.degen.io.NdArray;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/** PyTorch state dicts as tests build them: an nn.RNN + nn.Linear model's {@code state_dict()} under given module names. */
public final class TorchStates {
    private TorchStates() { }

    /** Uniform values in [-scale/2, scale/2) of the given shape. */
    public static NdArray random(SplittableRandom r, double scale, int... shape) {
        int n = 1;
        for (int s : shape) n *= s;
        double[] d = new double[n];
        for (int i = 0; i < n; i++) d[i] = scale * (r.nextDouble() - 0.5);
        return NdArray.f64(d, shape);
    }

    /**
     * A model's state dict: nn.RNN(inputs, hidden) as module {@code rnn} ("" for a bare nn.RNN) and the
     * read-out nn.Linear(hidden, outputs) as {@code readout}, values seeded.
     */
    public static Map<String, NdArray> state(String rnn, String readout, int inputs, int hidden, int outputs, double scale, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        String p = rnn.isEmpty() ? "" : rnn + ".";
        Map<String, NdArray> m = new LinkedHashMap<>();
        m.put(p + "weight_ih_l0", random(r, scale, hidden, inputs));
        m.put(p + "weight_hh_l0", random(r, scale, hidden, hidden));
        m.put(p + "bias_ih_l0", random(r, scale, hidden));
        m.put(p + "bias_hh_l0", random(r, scale, hidden));
        m.put(readout + ".weight", random(r, scale, outputs, hidden));
        m.put(readout + ".bias", random(r, scale, outputs));
        return m;
    }
}
