package io.degen.train;

import io.degen.backend.Backend;
import io.degen.backend.Buf;
import io.degen.backend.DType;

/** Adam with torch.optim.Adam's defaults and semantics (betas 0.9/0.999, eps 1e-8, no weight decay). */
public final class Adam implements AutoCloseable {
    public static final double BETA1 = 0.9, BETA2 = 0.999, EPS = 1e-8;
    private final Backend be;
    private final Buf m, v;
    private final int n;
    private double lr;
    private long step;

    public Adam(Backend be, DType dtype, int n, double lr) {
        this.be = be; this.n = n; this.lr = lr;
        m = be.alloc(dtype, n);
        v = be.alloc(dtype, n);
    }

    public double lr() { return lr; }

    public void setLr(double lr) { this.lr = lr; }

    public long steps() { return step; }

    public void step(Buf params, Buf grads) {
        step++;
        double bc1 = 1 - Math.pow(BETA1, step), bc2 = 1 - Math.pow(BETA2, step);
        be.adam(params, grads, m, v, n, lr, BETA1, BETA2, EPS, bc1, bc2);
    }

    @Override public void close() { m.close(); v.close(); }
}
