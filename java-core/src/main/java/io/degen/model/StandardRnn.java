package io.degen.model;

import io.degen.config.ModelConfig;
import io.degen.backend.Backend;
import io.degen.backend.DType;
import io.degen.backend.GemmOp;

import java.util.SplittableRandom;

/**
 * PyTorch's nn.RNN(tanh) + nn.Linear: h_t = tanh(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh), h_0 = 0,
 * y_t = W_out h_t + b_out; every weight ~ U(-1/sqrt(H), 1/sqrt(H)) as PyTorch initialises both.
 */
public final class StandardRnn extends RnnModel {
    static final String W_IH = "weight_ih_l0", W_HH = "weight_hh_l0", B_IH = "bias_ih_l0", B_HH = "bias_hh_l0",
            W_OUT = "readout.weight", B_OUT = "readout.bias";
    private final Slice wih, whh, bih, bhh, wout, bout;
    /** b_ih + b_hh, added once to the input projection. */
    private final io.degen.backend.Buf biasSum;
    /** W_hh^T, refreshed once per forward pass so each time step runs a plain (untransposed) gemm. */
    private final io.degen.backend.Buf whhT;

    static final String[] NAMES = {W_IH, W_HH, B_IH, B_HH, W_OUT, B_OUT};

    static int[][] shapes(int h, int in, int out) { return new int[][] {{h, in}, {h, h}, {h, 1}, {h, 1}, {out, h}, {out, 1}}; }

    StandardRnn(Backend be, DType dtype, ModelConfig cfg, int in, int out) {
        super(be, dtype, cfg, in, out, NAMES, shapes(cfg.hidden(), in, out));
        wih = slice(W_IH); whh = slice(W_HH); bih = slice(B_IH); bhh = slice(B_HH); wout = slice(W_OUT); bout = slice(B_OUT);
        biasSum = be.alloc(dtype, hid);
        whhT = be.alloc(dtype, hid * hid);
    }

    @Override public String recurrentName() { return W_HH; }

    @Override public void initialise(SplittableRandom rng) {
        double k = 1.0 / Math.sqrt(hid);
        for (Slice s : layout.values()) fillUniform(s, k, rng);
    }

    @Override protected void forwardBegin(Workspace ws) {
        int b = ws.batch, t = ws.time, bh = b * hid;
        // Input projection for all steps at once: P = X W_ih^T + (b_ih + b_hh), stored in states[1..T].
        be.gemm(false, true, t * b, hid, in, 1, ws.x, 0, in, params, wih.offset(), in, 0, ws.states, bh, hid);
        be.copy(params, bih.offset(), biasSum, 0, hid);
        be.axpby(hid, 1, params, bhh.offset(), 1, biasSum, 0);
        be.addRowVector(ws.states, bh, t * b, hid, biasSum, 0);
        be.fill(ws.states, 0, bh, 0);
        be.transpose(params, whh.offset(), hid, hid, whhT, 0);
    }

    @Override protected GemmOp forwardStep(Workspace ws, int s) {
        int b = ws.batch, bh = b * hid;
        return new GemmOp(false, false, b, hid, hid, 1, ws.states, s * bh, hid, whhT, 0, hid, 1, ws.states, (s + 1) * bh, hid);
    }

    @Override protected void forwardStepEnd(Workspace ws, int s) {
        int bh = ws.batch * hid, cur = (s + 1) * bh;
        be.tanh(ws.states, cur, ws.states, cur, bh);
    }

    @Override protected void forwardEnd(Workspace ws) {
        int tb = ws.time * ws.batch, bh = ws.batch * hid;
        be.gemm(false, true, tb, out, hid, 1, ws.states, bh, hid, params, wout.offset(), hid, 0, ws.output, 0, out);
        be.addRowVector(ws.output, 0, tb, out, params, bout.offset());
    }

    @Override protected void backwardBegin(Workspace ws) {
        int tb = ws.time * ws.batch, bh = ws.batch * hid;
        be.gemm(true, false, out, hid, tb, 1, ws.dOutput, 0, out, ws.states, bh, hid, 0, grads, wout.offset(), hid);
        be.sumRows(ws.dOutput, 0, tb, out, 0, grads, bout.offset());
        // dH from the readout, then back through time in place: dStates[s] becomes dL/d(pre-activation at s).
        be.gemm(false, false, tb, hid, out, 1, ws.dOutput, 0, out, params, wout.offset(), hid, 0, ws.dStates, 0, hid);
    }

    @Override protected GemmOp backwardStep(Workspace ws, int s) {
        if (s == ws.time - 1) return null;
        int b = ws.batch, bh = b * hid;
        return new GemmOp(false, false, b, hid, hid, 1, ws.dStates, (s + 1) * bh, hid, params, whh.offset(), hid, 1, ws.dStates, s * bh, hid);
    }

    @Override protected void backwardStepEnd(Workspace ws, int s) {
        int bh = ws.batch * hid;
        be.tanhBackward(ws.dStates, s * bh, ws.states, (s + 1) * bh, ws.dStates, s * bh, bh);
    }

    @Override protected void backwardEnd(Workspace ws) {
        int tb = ws.time * ws.batch;
        be.gemm(true, false, hid, hid, tb, 1, ws.dStates, 0, hid, ws.states, 0, hid, 0, grads, whh.offset(), hid);
        be.gemm(true, false, hid, in, tb, 1, ws.dStates, 0, hid, ws.x, 0, in, 0, grads, wih.offset(), in);
        be.sumRows(ws.dStates, 0, tb, hid, 0, grads, bih.offset());
        be.copy(grads, bih.offset(), grads, bhh.offset(), hid);
    }

    @Override public void close() { super.close(); biasSum.close(); whhT.close(); }
}
