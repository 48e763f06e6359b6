package io.degen.model;

import io.degen.backend.Backend;
import io.degen.backend.Buf;
import io.degen.backend.DType;
import io.degen.config.ModelConfig;
import io.degen.io.NdArray;
import io.degen.task.TrialBatch;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * K networks of one configuration and one trial shape trained as <b>one computation</b> (issue 18,
 * Part 2): their parameters, gradients, Adam moments, trials and states live in stacked engine
 * buffers, so a time step of all K networks is a few strided-batched GEMMs and element-wise calls over
 * the whole stack, whatever K is. {@link RnnModel#lossAndGradientsAll} (the grouped lockstep) instead
 * issues every element-wise call once per network, which is what makes a GPU launch-bound.
 *
 * <p>Same equations as {@link StandardRnn} (PyTorch's nn.RNN(tanh) + nn.Linear), same parameter layout
 * per network; only the order of floating-point sums differs (the weight gradients accumulate per time
 * step), so a network's numbers equal its {@link StandardRnn} ones to rounding, not bit for bit
 * ({@code CohortTest}). Only engine calls that every engine has are used: biases enter as rank-1
 * products with a ones vector, per-network learning rates as a batched scaling of Adam's step.
 *
 * <p>Layout, row-major, with N = K networks, P parameters per network:
 * params, grads, Adam m and v, step: (N, P), network-major, each network as {@link RnnModel#layout()};
 * x (N, T, B, I), targets, masks (scaled), outputs (N, T, B, O), network-major (one upload, one loss
 * dot product per network); states (T+1, B, N, H) and their gradients (T, B, N, H), time-major, so
 * that tanh of one step of all networks is one call, while each network's states over all steps form
 * one strided matrix (leading dimension N * H) for the products that need no recurrence: per time
 * step only the recurrent product and tanh run (two calls forward, two back, for all N networks).
 *
 * <p>Losses stay on the engine: {@link #step} writes each network's loss into a row of a loss buffer
 * that {@link #takeLosses} reads once for many steps.
 */
public final class Cohort implements AutoCloseable {
    public static final double BETA1 = 0.9, BETA2 = 0.999, EPS = 1e-8;

    private final Backend be;
    private final DType dtype;
    private final ModelConfig config;
    private final int count, in, hid, out, batch, time, params, lossRows;
    private final Map<String, RnnModel.Slice> layout = new LinkedHashMap<>();
    private final int wih, whh, bih, bhh, wout, bout;
    private final Buf p, g, m, v, delta, lrs, ones, biasSum, trials, states, dStates, output, diff, dOutput, losses;
    private final int xOff, targetOff, maskOff;
    private final double[] host;
    private long steps;
    private int lossRow;

    /**
     * @param lossRows how many steps' losses the engine keeps between two {@link #takeLosses} calls
     */
    public Cohort(Backend be, DType dtype, ModelConfig config, int inputs, int outputs, int count, int batch, int time, int lossRows) {
        if (!config.type().equals("standard")) {
            throw new IllegalArgumentException("a stacked cohort supports model.type standard only, got '" + config.type()
                    + "' (train it with the grouped lockstep instead)");
        }
        if (count < 1 || batch < 1 || time < 1 || lossRows < 1) {
            throw new IllegalArgumentException("a cohort needs count, batch, time and loss rows >= 1, got " + count + ", " + batch + ", " + time + ", " + lossRows);
        }
        this.be = be; this.dtype = dtype; this.config = config; this.count = count;
        this.in = inputs; this.hid = config.hidden(); this.out = outputs; this.batch = batch; this.time = time; this.lossRows = lossRows;
        int off = 0;
        int[][] shapes = StandardRnn.shapes(hid, in, out);
        for (int i = 0; i < StandardRnn.NAMES.length; i++) {
            layout.put(StandardRnn.NAMES[i], new RnnModel.Slice(StandardRnn.NAMES[i], off, shapes[i][0], shapes[i][1]));
            off += shapes[i][0] * shapes[i][1];
        }
        params = off;
        wih = at(StandardRnn.W_IH); whh = at(StandardRnn.W_HH); bih = at(StandardRnn.B_IH); bhh = at(StandardRnn.B_HH);
        wout = at(StandardRnn.W_OUT); bout = at(StandardRnn.B_OUT);
        int tbi = size("trials", count, time, batch, in), tbo = size("outputs", count, time, batch, out);
        int nStates = size("states", time + 1, count, batch, hid);
        size("parameters", count, params, 1, 1);
        xOff = 0; targetOff = tbi; maskOff = tbi + tbo;
        host = new double[size("trial upload", 1, 1, tbi + 2L * tbo, 1)];
        Buf[] made = new Buf[15];
        int i = 0;
        try {
            made[i++] = p = be.alloc(dtype, count * params);
            made[i++] = g = be.alloc(dtype, count * params);
            made[i++] = m = be.alloc(dtype, count * params);
            made[i++] = v = be.alloc(dtype, count * params);
            made[i++] = delta = be.alloc(dtype, count * params);
            made[i++] = lrs = be.alloc(dtype, count);
            made[i++] = ones = be.alloc(dtype, time * batch);
            made[i++] = biasSum = be.alloc(dtype, count * hid);
            made[i++] = trials = be.alloc(dtype, host.length);
            made[i++] = states = be.alloc(dtype, nStates);
            made[i++] = dStates = be.alloc(dtype, nStates - count * batch * hid);
            made[i++] = output = be.alloc(dtype, tbo);
            made[i++] = diff = be.alloc(dtype, tbo);
            made[i++] = dOutput = be.alloc(dtype, tbo);
            made[i++] = losses = be.alloc(dtype, size("losses", lossRows, count, 1, 1));
        } catch (RuntimeException e) {
            for (Buf b : made) if (b != null) b.close();
            throw e;
        }
        be.fill(ones, 0, time * batch, 1);
    }

    private int at(String name) { return layout.get(name).offset(); }

    /** a * b * c * d elements as an int, or a clear error where one buffer cannot hold them. */
    private static int size(String what, long a, long b, long c, long d) {
        long n = a * b * c * d;
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a cohort's " + what + " would need " + n + " elements, more than one engine buffer holds ("
                    + Integer.MAX_VALUE + "): train fewer networks per cohort (a smaller --ensemble)");
        }
        return (int) n;
    }

    public int count() { return count; }

    public int batch() { return batch; }

    public int time() { return time; }

    public int parameterCount() { return params; }

    public Map<String, RnnModel.Slice> layout() { return layout; }

    /** Adam steps taken so far (shared by all networks of the cohort). */
    public long steps() { return steps; }

    // ---- weights and learning rates -------------------------------------------------------------

    /** Network {@code k}'s parameters from named weights (the shapes of {@link RnnModel#exportWeights}). */
    public void importWeights(int k, Map<String, NdArray> weights) {
        String problem = RnnModel.weightsProblem(config, in, out, weights);
        if (problem != null) throw new IllegalArgumentException(problem);
        for (RnnModel.Slice s : layout.values()) {
            NdArray a = weights.get(s.name());
            a.requireFinite("weight '" + s.name() + "'");
            be.write(p, k * params + s.offset(), a.data(), 0, s.size());
        }
    }

    public Map<String, NdArray> exportWeights(int k) { return export(p, k); }

    /** Network {@code k}'s gradients of the last {@link #step}, by parameter name. */
    public Map<String, NdArray> exportGradients(int k) { return export(g, k); }

    private Map<String, NdArray> export(Buf from, int k) {
        Map<String, NdArray> w = new LinkedHashMap<>();
        for (RnnModel.Slice s : layout.values()) {
            double[] d = new double[s.size()];
            be.download(from, k * params + s.offset(), d, 0, d.length);
            int[] shape = s.name().contains("bias") ? new int[] {s.rows()} : new int[] {s.rows(), s.cols()};
            w.put(s.name(), new NdArray(shape, d, dtype == DType.F32 ? "f4" : "f8"));
        }
        return w;
    }

    /** Every network's learning rate; 0 freezes a network (one that has left the cohort's training). */
    public void setLearningRates(double[] lr) {
        if (lr.length != count) throw new IllegalArgumentException(count + " networks but " + lr.length + " learning rates");
        be.write(lrs, 0, lr, 0, count);
    }

    // ---- one training step -----------------------------------------------------------------------

    /**
     * Loads one trial batch per network (network k's at index k; a null entry keeps that network's
     * previous trials, for a network that no longer trains), computes every loss and gradient, and
     * takes one Adam step for all networks at their learning rates. The losses go to the engine's
     * loss buffer; read them with {@link #takeLosses}.
     */
    public void step(TrialBatch[] tbs) {
        lossAndGradients(tbs);
        adamStep();
    }

    /**
     * Losses (into the next row of the loss buffer) and gradients of every network on its trials;
     * {@link #grads()} then holds them, for penalties to be added before {@link #adamStep}.
     */
    public void lossAndGradients(TrialBatch[] tbs) {
        if (lossRow == lossRows) throw new IllegalStateException("the cohort's " + lossRows + " loss rows are full: call takeLosses first");
        load(tbs);
        forward();
        loss();
        backward();
        lossRow++;
    }

    /** One Adam update of all networks: the step for learning rate 1 into delta, then p_k += lr_k delta_k. */
    public void adamStep() {
        steps++;
        int all = count * params;
        double bc1 = 1 - Math.pow(BETA1, steps), bc2 = 1 - Math.pow(BETA2, steps);
        be.fill(delta, 0, all, 0);
        be.adam(delta, g, m, v, all, 1, BETA1, BETA2, EPS, bc1, bc2);
        be.gemmBatched(false, false, 1, params, 1, 1, lrs, 0, 1, 1, delta, 0, params, params, 1, p, 0, params, params, count);
    }

    /** The stacked parameters (N, P), network-major. */
    public Buf params() { return p; }

    /** The stacked gradients (N, P) of the last {@link #lossAndGradients}. */
    public Buf grads() { return g; }

    /** Where network k's recurrent matrix (H x H, row-major) starts in {@link #params()} and {@link #grads()}. */
    public int recurrentOffset(int k) { return k * params + whh; }

    public int hidden() { return hid; }

    /** The losses of the steps since the last call, [step][network], and an empty loss buffer. */
    public double[][] takeLosses() {
        double[][] l = new double[lossRow][count];
        if (lossRow > 0) {
            double[] flat = new double[lossRow * count];
            be.download(losses, 0, flat, 0, flat.length);
            for (int r = 0; r < lossRow; r++) System.arraycopy(flat, r * count, l[r], 0, count);
            be.fill(losses, 0, lossRow * count, 0);
        }
        lossRow = 0;
        return l;
    }

    private void load(TrialBatch[] tbs) {
        if (tbs.length != count) throw new IllegalArgumentException(count + " networks but " + tbs.length + " trial batches");
        int tbi = time * batch * in, tbo = time * batch * out;
        boolean any = false;
        for (int k = 0; k < count; k++) {
            TrialBatch tb = tbs[k];
            if (tb == null) continue;
            if (tb.batch() != batch || tb.time() != time || tb.inputs() != in || tb.outputs() != out) {
                throw new IllegalArgumentException("network " + k + "'s trials are B=" + tb.batch() + " T=" + tb.time() + " I=" + tb.inputs()
                        + " O=" + tb.outputs() + "; the cohort was built for B=" + batch + " T=" + time + " I=" + in + " O=" + out);
            }
            double c = tb.maskCount();
            if (c <= 0) throw new IllegalArgumentException("network " + k + "'s trial mask is all zero: nothing to score");
            // The mask carries each network's gradient scale 2 / count (the mean's), so one element-wise
            // product gives every network's output gradient; for 0/1 masks it is exactly 2 / count.
            double scale = 2.0 / c;
            for (int b = 0; b < batch; b++) {
                for (int s = 0; s < time; s++) {
                    System.arraycopy(tb.input(), (b * time + s) * in, host, xOff + k * tbi + (s * batch + b) * in, in);
                    int src = (b * time + s) * out, dst = k * tbo + (s * batch + b) * out;
                    System.arraycopy(tb.target(), src, host, targetOff + dst, out);
                    for (int o = 0; o < out; o++) host[maskOff + dst + o] = tb.mask()[src + o] * scale;
                }
            }
            any = true;
        }
        if (!any && steps == 0 && lossRow == 0) throw new IllegalArgumentException("no network of the cohort has trials");
        be.write(trials, 0, host, 0, host.length);
    }

    private void forward() {
        int n = count, b = batch, tb = time * b, kh = n * hid, nbh = b * kh, tbi = tb * in, tbo = tb * out;
        be.fill(states, 0, nbh, 0);
        // b_ih + b_hh per network: two rank-1 products (1 x 1 ones times a bias row), the second accumulating.
        be.gemmBatched(false, false, 1, hid, 1, 1, ones, 0, 1, 0, p, bih, hid, params, 0, biasSum, 0, hid, hid, n);
        be.gemmBatched(false, false, 1, hid, 1, 1, ones, 0, 1, 0, p, bhh, hid, params, 1, biasSum, 0, hid, hid, n);
        // Every step's input projection and bias at once; the loop adds the recurrence.
        be.gemmBatched(false, true, tb, hid, in, 1, trials, xOff, in, tbi, p, wih, in, params, 0, states, nbh, kh, hid, n);
        be.addRowVector(states, nbh, tb, kh, biasSum, 0);
        for (int s = 0; s < time; s++) {
            int cur = (s + 1) * nbh;
            be.gemmBatched(false, true, b, hid, hid, 1, states, s * nbh, kh, hid, p, whh, hid, params, 1, states, cur, kh, hid, n);
            be.tanh(states, cur, states, cur, nbh);
        }
        be.gemmBatched(false, true, tb, out, hid, 1, states, nbh, kh, hid, p, wout, hid, params, 0, output, 0, out, tbo, n);
        be.gemmBatched(false, false, tb, out, 1, 1, ones, 0, 1, 0, p, bout, out, params, 1, output, 0, out, tbo, n);
    }

    /** diff = y - t, dy = diff * scaled mask, loss_k = dy_k . diff_k / 2 (= sum(mask (y - t)^2) / count). */
    private void loss() {
        int tbo = time * batch * out, all = count * tbo;
        be.copy(output, 0, diff, 0, all);
        be.axpby(all, -1, trials, targetOff, 1, diff, 0);
        be.mul(diff, 0, trials, maskOff, dOutput, 0, all);
        be.gemmBatched(false, false, 1, 1, tbo, 0.5, dOutput, 0, tbo, tbo, diff, 0, 1, tbo, 0, losses, lossRow * count, 1, 1, count);
    }

    private void backward() {
        int n = count, b = batch, tb = time * b, kh = n * hid, nbh = b * kh, tbi = tb * in, tbo = tb * out;
        // dStates (T, B, N, H), step s the gradient at states[s + 1]: first the readout's share at every step.
        be.gemmBatched(false, false, tb, hid, out, 1, dOutput, 0, out, tbo, p, wout, hid, params, 0, dStates, 0, kh, hid, n);
        for (int s = time - 1; s >= 0; s--) {
            int cur = s * nbh;
            if (s < time - 1) {
                be.gemmBatched(false, false, b, hid, hid, 1, dStates, cur + nbh, kh, hid, p, whh, hid, params, 1, dStates, cur, kh, hid, n);
            }
            be.tanhBackward(dStates, cur, states, cur + nbh, dStates, cur, nbh);
        }
        // dStates is now dL/d(pre-activation) at every step: each weight gradient is one product over all T * B rows.
        be.gemmBatched(true, false, hid, hid, tb, 1, dStates, 0, kh, hid, states, 0, kh, hid, 0, g, whh, hid, params, n);
        be.gemmBatched(true, false, hid, in, tb, 1, dStates, 0, kh, hid, trials, xOff, in, tbi, 0, g, wih, in, params, n);
        be.gemmBatched(false, false, 1, hid, tb, 1, ones, 0, tb, 0, dStates, 0, kh, hid, 0, g, bih, hid, params, n);
        be.gemmBatched(true, false, out, hid, tb, 1, dOutput, 0, out, tbo, states, nbh, kh, hid, 0, g, wout, hid, params, n);
        be.gemmBatched(false, false, 1, out, tb, 1, ones, 0, tb, 0, dOutput, 0, out, tbo, 0, g, bout, out, params, n);
        be.gemmBatched(false, false, 1, hid, 1, 1, ones, 0, 1, 0, g, bih, hid, params, 0, g, bhh, hid, params, n);
    }

    // ---- leaving the stack -----------------------------------------------------------------------

    private Buf kept;

    /** Remembers every network's current weights on the engine (one copy), for {@link #exportKeptWeights}. */
    public void keepWeights() {
        if (kept == null) kept = be.alloc(dtype, count * params);
        be.copy(p, 0, kept, 0, count * params);
    }

    /** Network k's weights as {@link #keepWeights} last saw them. */
    public Map<String, NdArray> exportKeptWeights(int k) {
        if (kept == null) throw new IllegalStateException("keepWeights was never called");
        return export(kept, k);
    }

    /**
     * A new, smaller cohort of the networks at {@code rows} (in that order), with their weights, Adam
     * moments and step count, so networks still training stop paying for those that have finished.
     * Learning rates are to be set again; this cohort stays open (close it).
     */
    public Cohort keep(int[] rows) {
        if (lossRow != 0) throw new IllegalStateException("take the losses before rebuilding the cohort");
        Cohort c = new Cohort(be, dtype, config, in, out, rows.length, batch, time, lossRows);
        try {
            for (int j = 0; j < rows.length; j++) {
                int k = rows[j];
                if (k < 0 || k >= count) throw new IllegalArgumentException("row " + k + " is not a network of this cohort of " + count);
                be.copy(p, k * params, c.p, j * params, params);
                be.copy(m, k * params, c.m, j * params, params);
                be.copy(v, k * params, c.v, j * params, params);
            }
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
        c.steps = steps;
        return c;
    }

    @Override public void close() {
        for (Buf b : new Buf[] {p, g, m, v, delta, lrs, ones, biasSum, trials, states, dStates, output, diff, dOutput, losses}) b.close();
        if (kept != null) kept.close();
    }
}
