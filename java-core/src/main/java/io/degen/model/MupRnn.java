package io.degen.model;

import io.degen.config.ModelConfig;
import io.degen.backend.Backend;
import io.degen.backend.DType;
import io.degen.backend.GemmOp;

import java.util.SplittableRandom;

/**
 * The muP (mean-field) leaky RNN with feature-learning strength gamma:
 * h_{t+1} = h_t + tau (-h_t + J tanh(h_t) / N + U x_t), h_0 = 0,
 * y_t = W_out tanh(h_{t+1}) / (gamma N), read after each update;
 * J_ij ~ N(0, N), U_ij ~ N(0, 1), W_out ~ N(0, 1). The trainer scales the learning rate by gamma
 * (docs/models.md derives why). Parameters are named J, U, W_out.
 */
public final class MupRnn extends RnnModel {
    private final Slice j, u, wout;
    /** J^T, refreshed once per forward pass so each time step runs a plain (untransposed) gemm. */
    private final io.degen.backend.Buf jT;

    MupRnn(Backend be, DType dtype, ModelConfig cfg, int in, int out) {
        super(be, dtype, cfg, in, out, NAMES, shapes(cfg.hidden(), in, out));
        j = slice("J"); u = slice("U"); wout = slice("W_out");
        jT = be.alloc(dtype, cfg.hidden() * cfg.hidden());
    }

    static final String J = "J";
    static final String[] NAMES = {J, "U", "W_out"};

    static int[][] shapes(int h, int in, int out) { return new int[][] {{h, h}, {h, in}, {out, h}}; }

    @Override public String recurrentName() { return J; }

    @Override protected boolean isVector(String name) { return false; }

    @Override public void initialise(SplittableRandom rng) {
        fillGaussian(j, Math.sqrt(hid), rng);
        fillGaussian(u, 1.0, rng);
        fillGaussian(wout, 1.0, rng);
    }

    private double tau() { return config.tau(); }

    private double readoutScale() { return 1.0 / (config.gamma() * hid); }

    @Override protected void forwardBegin(Workspace ws) {
        int b = ws.batch, t = ws.time, bh = b * hid;
        // states[s+1] first holds tau U x_s for every step, then the recurrence is added in place.
        be.gemm(false, true, t * b, hid, in, tau(), ws.x, 0, in, params, u.offset(), in, 0, ws.states, bh, hid);
        be.fill(ws.states, 0, bh, 0);
        be.fill(ws.act, 0, bh, 0);
        be.transpose(params, j.offset(), hid, hid, jT, 0);
    }

    @Override protected GemmOp forwardStep(Workspace ws, int s) {
        int b = ws.batch, bh = b * hid, prev = s * bh, cur = (s + 1) * bh;
        double tau = tau();
        be.axpby(bh, 1 - tau, ws.states, prev, 1, ws.states, cur);
        return new GemmOp(false, false, b, hid, hid, tau / hid, ws.act, prev, hid, jT, 0, hid, 1, ws.states, cur, hid);
    }

    @Override protected void forwardStepEnd(Workspace ws, int s) {
        int bh = ws.batch * hid, cur = (s + 1) * bh;
        be.tanh(ws.states, cur, ws.act, cur, bh);
    }

    @Override protected void forwardEnd(Workspace ws) {
        int tb = ws.time * ws.batch, bh = ws.batch * hid;
        be.gemm(false, true, tb, out, hid, readoutScale(), ws.act, bh, hid, params, wout.offset(), hid, 0, ws.output, 0, out);
    }

    @Override protected void backwardBegin(Workspace ws) {
        int tb = ws.time * ws.batch, bh = ws.batch * hid;
        double c = readoutScale();
        be.gemm(true, false, out, hid, tb, c, ws.dOutput, 0, out, ws.act, bh, hid, 0, grads, wout.offset(), hid);
        // dStates[s] first holds dL/dr_{s+1} from the readout, then becomes g_{s+1} = dL/dh_{s+1}.
        be.gemm(false, false, tb, hid, out, c, ws.dOutput, 0, out, params, wout.offset(), hid, 0, ws.dStates, 0, hid);
    }

    @Override protected GemmOp backwardStep(Workspace ws, int s) {
        if (s == ws.time - 1) return null;
        int b = ws.batch, bh = b * hid, cur = s * bh;
        return new GemmOp(false, false, b, hid, hid, tau() / hid, ws.dStates, cur + bh, hid, params, j.offset(), hid, 1, ws.dStates, cur, hid);
    }

    @Override protected void backwardStepEnd(Workspace ws, int s) {
        int bh = ws.batch * hid, cur = s * bh;
        be.tanhBackward(ws.dStates, cur, ws.act, cur + bh, ws.dStates, cur, bh);
        if (s < ws.time - 1) be.axpby(bh, 1 - tau(), ws.dStates, cur + bh, 1, ws.dStates, cur);
    }

    @Override protected void backwardEnd(Workspace ws) {
        int tb = ws.time * ws.batch;
        double tau = tau();
        be.gemm(true, false, hid, hid, tb, tau / hid, ws.dStates, 0, hid, ws.act, 0, hid, 0, grads, j.offset(), hid);
        be.gemm(true, false, hid, in, tb, tau, ws.dStates, 0, hid, ws.x, 0, in, 0, grads, u.offset(), in);
    }

    @Override public void close() { super.close(); jT.close(); }
}
