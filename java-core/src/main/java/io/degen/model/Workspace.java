package io.degen.model;

import io.degen.backend.Backend;
import io.degen.backend.Buf;
import io.degen.backend.DType;
import io.degen.task.TrialBatch;

/**
 * Per-network scratch buffers for one batch shape, time-major: x (T,B,I), target and mask (T,B,O),
 * states (T+1,B,H) with states[0] = h_0, output (T,B,O) and the backward buffers. Grows on demand
 * (the OOD form is longer) and is reused across steps so training allocates nothing per step.
 */
public final class Workspace implements AutoCloseable {
    private final Backend be;
    private final DType dtype;
    private final int in, hid, out;
    int batch = -1, time = -1;
    Buf x, target, mask, states, output, dOutput, dStates, act;
    private double[] hostIn = new double[0], hostOut = new double[0], hostMask = new double[0];

    public Workspace(Backend be, DType dtype, int in, int hid, int out) {
        this.be = be; this.dtype = dtype; this.in = in; this.hid = hid; this.out = out;
    }

    public int batch() { return batch; }

    public int time() { return time; }

    void ensure(int b, int t) {
        if (b == batch && t == time) return;
        close();
        batch = b; time = t;
        x = be.alloc(dtype, t * b * in);
        target = be.alloc(dtype, t * b * out);
        mask = be.alloc(dtype, t * b * out);
        output = be.alloc(dtype, t * b * out);
        dOutput = be.alloc(dtype, t * b * out);
        states = be.alloc(dtype, (t + 1) * b * hid);
        act = be.alloc(dtype, (t + 1) * b * hid);
        dStates = be.alloc(dtype, t * b * hid);
    }

    /** Uploads a batch-major trial batch into the time-major device buffers. */
    void load(TrialBatch tb) {
        if (tb.inputs() != in || tb.outputs() != out) {
            throw new IllegalArgumentException("trials have " + tb.inputs() + " inputs / " + tb.outputs()
                    + " outputs, the model expects " + in + " / " + out);
        }
        ensure(tb.batch(), tb.time());
        int b = tb.batch(), t = tb.time();
        if (hostIn.length < t * b * in) hostIn = new double[t * b * in];
        if (hostOut.length < t * b * out) { hostOut = new double[t * b * out]; hostMask = new double[t * b * out]; }
        for (int i = 0; i < b; i++) {
            for (int s = 0; s < t; s++) {
                System.arraycopy(tb.input(), (i * t + s) * in, hostIn, (s * b + i) * in, in);
                System.arraycopy(tb.target(), (i * t + s) * out, hostOut, (s * b + i) * out, out);
                System.arraycopy(tb.mask(), (i * t + s) * out, hostMask, (s * b + i) * out, out);
            }
        }
        be.write(x, 0, hostIn, 0, t * b * in);
        be.write(target, 0, hostOut, 0, t * b * out);
        be.write(mask, 0, hostMask, 0, t * b * out);
    }

    /** Hidden states h_1..h_T as a batch-major (B, T, H) host array. */
    public double[] statesBatchMajor() {
        double[] tm = new double[time * batch * hid];
        be.download(states, batch * hid, tm, 0, tm.length);
        double[] bm = new double[tm.length];
        for (int s = 0; s < time; s++) {
            for (int i = 0; i < batch; i++) System.arraycopy(tm, (s * batch + i) * hid, bm, (i * time + s) * hid, hid);
        }
        return bm;
    }

    /** Network outputs as a batch-major (B, T, O) host array. */
    public double[] outputsBatchMajor() {
        double[] tm = new double[time * batch * out];
        be.download(output, 0, tm, 0, tm.length);
        double[] bm = new double[tm.length];
        for (int s = 0; s < time; s++) {
            for (int i = 0; i < batch; i++) System.arraycopy(tm, (s * batch + i) * out, bm, (i * time + s) * out, out);
        }
        return bm;
    }

    @Override public void close() {
        for (Buf b : new Buf[] {x, target, mask, states, output, dOutput, dStates, act}) if (b != null) b.close();
    }
}
