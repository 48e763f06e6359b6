package io.degen.model;

import io.degen.config.ModelConfig;
import io.degen.backend.Backend;
import io.degen.backend.Buf;
import io.degen.backend.DType;
import io.degen.backend.GemmOp;
import io.degen.io.NdArray;
import io.degen.task.TrialBatch;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A recurrent network with a linear readout, trained by backpropagation through time written out
 * by hand. All parameters live in one contiguous backend buffer (so one Adam call updates them all)
 * with named slices that follow PyTorch's names for export.
 */
public abstract class RnnModel implements AutoCloseable {
    /** A named parameter: offset into the parameter buffer and its (rows, cols) shape. */
    public record Slice(String name, int offset, int rows, int cols) {
        public int size() { return rows * cols; }
    }

    protected final Backend be;
    protected final DType dtype;
    protected final ModelConfig config;
    protected final int in, hid, out;
    protected final Map<String, Slice> layout = new LinkedHashMap<>();
    protected final Buf params, grads;

    protected RnnModel(Backend be, DType dtype, ModelConfig config, int in, int out, String[] names, int[][] shapes) {
        this.be = be; this.dtype = dtype; this.config = config;
        this.in = in; this.hid = config.hidden(); this.out = out;
        int off = 0;
        for (int i = 0; i < names.length; i++) {
            layout.put(names[i], new Slice(names[i], off, shapes[i][0], shapes[i][1]));
            off += shapes[i][0] * shapes[i][1];
        }
        long bytes = (long) off * (dtype == DType.F32 ? 4 : 8);
        if (bytes > Integer.MAX_VALUE) throw new IllegalArgumentException("model.hidden " + hid + " is too large for one parameter buffer");
        params = be.alloc(dtype, off);
        grads = be.alloc(dtype, off);
    }

    public static RnnModel create(Backend be, DType dtype, ModelConfig cfg, int inputs, int outputs) {
        return cfg.type().equals("mup") ? new MupRnn(be, dtype, cfg, inputs, outputs) : new StandardRnn(be, dtype, cfg, inputs, outputs);
    }

    public ModelConfig config() { return config; }

    public Backend backend() { return be; }

    public DType dtype() { return dtype; }

    public int inputs() { return in; }

    public int outputs() { return out; }

    public int hidden() { return hid; }

    public Buf params() { return params; }

    public Buf grads() { return grads; }

    public int parameterCount() { return params.size(); }

    public Map<String, Slice> layout() { return layout; }

    public Slice slice(String name) {
        Slice s = layout.get(name);
        if (s == null) throw new IllegalArgumentException("no parameter named " + name + " (have " + layout.keySet() + ")");
        return s;
    }

    /** Name of the recurrent matrix: weight_hh_l0 (standard) or J (muP). */
    public abstract String recurrentName();

    /**
     * Why these weights cannot be the parameters of a model of this configuration (a missing name, a
     * wrong shape), or null when they can; checked without building the model.
     */
    public static String weightsProblem(ModelConfig cfg, int inputs, int outputs, Map<String, NdArray> weights) {
        boolean mup = cfg.type().equals("mup");
        String[] names = mup ? MupRnn.NAMES : StandardRnn.NAMES;
        int[][] shapes = mup ? MupRnn.shapes(cfg.hidden(), inputs, outputs) : StandardRnn.shapes(cfg.hidden(), inputs, outputs);
        for (int i = 0; i < names.length; i++) {
            NdArray a = weights.get(names[i]);
            if (a == null) return "weights lack '" + names[i] + "' (need " + String.join(", ", names) + ")";
            int rows = shapes[i][0], cols = shapes[i][1];
            if (a.size() != rows * cols || (a.rank() == 2 && (a.dim(0) != rows || a.dim(1) != cols))) {
                return "weight '" + names[i] + "' has shape " + java.util.Arrays.toString(a.shape()) + ", expected [" + rows + ", " + cols + "]";
            }
        }
        return null;
    }

    /** The name of the recurrent matrix of a model of this configuration, without building one. */
    public static String recurrentName(ModelConfig cfg) { return cfg.type().equals("mup") ? MupRnn.J : StandardRnn.W_HH; }

    /** Draws initial weights from the model's documented distributions. */
    public abstract void initialise(SplittableRandom rng);

    // ---- forward and backward passes, in stages --------------------------------------------
    // Each pass is split around its recurrent products so that several networks can run it in
    // lockstep (forwardAll / backwardAll): every time step's products of all networks go to the
    // engine as one group. One network alone runs exactly the same calls.

    /** Forward work before the recurrence (input projection, biases, transposes). */
    protected abstract void forwardBegin(Workspace ws);

    /** Element-wise work of step s before its recurrent product; returns that product. */
    protected abstract GemmOp forwardStep(Workspace ws, int s);

    /** Element-wise work of step s after its recurrent product (the nonlinearity). */
    protected abstract void forwardStepEnd(Workspace ws, int s);

    /** The readout, after the last step. */
    protected abstract void forwardEnd(Workspace ws);

    /** Backward work before the recurrence, from ws.dOutput (readout gradients). */
    protected abstract void backwardBegin(Workspace ws);

    /** The product carrying the gradient from step s + 1 back to step s, or null where there is none (s = T - 1). */
    protected abstract GemmOp backwardStep(Workspace ws, int s);

    /** Element-wise work of step s after its product. */
    protected abstract void backwardStepEnd(Workspace ws, int s);

    /** Weight gradients after the recurrence; every gradient is overwritten. */
    protected abstract void backwardEnd(Workspace ws);

    /**
     * Forward passes of the first {@code count} networks over their loaded workspaces, in lockstep.
     * The networks must share the engine and the workspace shape (batch, trial length).
     */
    static void forwardAll(RnnModel[] nets, Workspace[] wss, int count) {
        checkLockstep(nets, wss, count);
        Backend be = nets[0].be;
        for (int i = 0; i < count; i++) nets[i].forwardBegin(wss[i]);
        GemmOp[] ops = new GemmOp[count];
        for (int s = 0; s < wss[0].time; s++) {
            for (int i = 0; i < count; i++) ops[i] = nets[i].forwardStep(wss[i], s);
            be.gemmAll(ops, count);
            for (int i = 0; i < count; i++) nets[i].forwardStepEnd(wss[i], s);
        }
        for (int i = 0; i < count; i++) nets[i].forwardEnd(wss[i]);
    }

    /** Backward passes of the first {@code count} networks, in lockstep (see {@link #forwardAll}). */
    static void backwardAll(RnnModel[] nets, Workspace[] wss, int count) {
        checkLockstep(nets, wss, count);
        Backend be = nets[0].be;
        for (int i = 0; i < count; i++) nets[i].backwardBegin(wss[i]);
        GemmOp[] ops = new GemmOp[count];
        for (int s = wss[0].time - 1; s >= 0; s--) {
            int n = 0;
            for (int i = 0; i < count; i++) {
                GemmOp op = nets[i].backwardStep(wss[i], s);
                if (op != null) ops[n++] = op;
            }
            be.gemmAll(ops, n);
            for (int i = 0; i < count; i++) nets[i].backwardStepEnd(wss[i], s);
        }
        for (int i = 0; i < count; i++) nets[i].backwardEnd(wss[i]);
    }

    private static void checkLockstep(RnnModel[] nets, Workspace[] wss, int count) {
        if (count < 1 || count > nets.length || count > wss.length) {
            throw new IllegalArgumentException("lockstep needs 1.." + Math.min(nets.length, wss.length) + " networks, got " + count);
        }
        for (int i = 1; i < count; i++) {
            if (nets[i].be != nets[0].be || nets[i].getClass() != nets[0].getClass()
                    || wss[i].batch != wss[0].batch || wss[i].time != wss[0].time || nets[i].hid != nets[0].hid) {
                throw new IllegalArgumentException("networks trained in lockstep must share engine, model type, width and trial shape; network "
                        + i + " differs from network 0");
            }
        }
    }

    private void forward(Workspace ws) { forwardAll(new RnnModel[] {this}, new Workspace[] {ws}, 1); }

    private void backward(Workspace ws) { backwardAll(new RnnModel[] {this}, new Workspace[] {ws}, 1); }

    public Workspace workspace() { return new Workspace(be, dtype, in, hid, out); }

    /** Masked mean squared error of the network on these trials (forward only). */
    public double loss(Workspace ws, TrialBatch tb) {
        ws.load(tb);
        forward(ws);
        return lossTerm(ws, tb);
    }

    /** Loss and all gradients (into {@link #grads()}); the loss is sum(mask (y-t)^2) / sum(mask). */
    public double lossAndGradients(Workspace ws, TrialBatch tb) {
        return lossAndGradientsAll(new RnnModel[] {this}, new Workspace[] {ws}, new TrialBatch[] {tb}, 1)[0];
    }

    /**
     * {@link #lossAndGradients} for the first {@code count} networks at once, each on its own trials,
     * with their recurrent products grouped per time step. Each network gets the same numbers as
     * alone on the pure-Java engine (same calls in the same order); a native engine's grouped GEMM
     * may differ from its single GEMM in rounding.
     */
    public static double[] lossAndGradientsAll(RnnModel[] nets, Workspace[] wss, TrialBatch[] tbs, int count) {
        for (int i = 0; i < count; i++) wss[i].load(tbs[i]);
        forwardAll(nets, wss, count);
        double[] loss = new double[count];
        for (int i = 0; i < count; i++) loss[i] = nets[i].lossTerm(wss[i], tbs[i]);
        backwardAll(nets, wss, count);
        return loss;
    }

    /** Runs the network and leaves states/outputs in the workspace (for simulation). */
    public void run(Workspace ws, TrialBatch tb) {
        ws.load(tb);
        forward(ws);
    }

    /** The one forward pass of analysis and simulation: loss, hidden states and outputs on these trials. */
    public Simulation simulate(Workspace ws, TrialBatch tb) {
        ws.load(tb);
        forward(ws);
        double loss = tb.maskCount() > 0 ? lossTerm(ws, tb) : Double.NaN;
        return new Simulation(loss, NdArray.f64(ws.statesBatchMajor(), tb.batch(), tb.time(), hid),
                NdArray.f64(ws.outputsBatchMajor(), tb.batch(), tb.time(), out));
    }

    private double lossTerm(Workspace ws, TrialBatch tb) {
        double count = tb.maskCount();
        if (count <= 0) throw new IllegalArgumentException("trial mask is all zero: nothing to score");
        int n = tb.batch() * tb.time() * out;
        return be.maskedSquaredError(ws.output, ws.target, ws.mask, n, 2.0 / count, ws.dOutput) / count;
    }

    /**
     * Rows of the Jacobian of the outputs with respect to all parameters, one row per requested
     * flat output index (time-major: (t * B + b) * O + o), by one backward pass per row.
     */
    public double[][] jacobian(Workspace ws, TrialBatch tb, int[] outputIndex) {
        ws.load(tb);
        forward(ws);
        int n = tb.batch() * tb.time() * out;
        double[][] rows = new double[outputIndex.length][];
        double[] onehot = new double[n];
        for (int r = 0; r < outputIndex.length; r++) {
            onehot[outputIndex[r]] = 1;
            be.write(ws.dOutput, 0, onehot, 0, n);
            onehot[outputIndex[r]] = 0;
            backward(ws);
            rows[r] = be.toDoubles(grads);
        }
        return rows;
    }

    // ---- import / export ----------------------------------------------------------------

    public Map<String, NdArray> exportWeights() {
        Map<String, NdArray> m = new LinkedHashMap<>();
        for (Slice s : layout.values()) {
            double[] d = new double[s.size()];
            be.download(params, s.offset(), d, 0, d.length);
            int[] shape = s.cols() == 1 && isVector(s.name()) ? new int[] {s.rows()} : new int[] {s.rows(), s.cols()};
            m.put(s.name(), new NdArray(shape, d, dtype == DType.F32 ? "f4" : "f8"));
        }
        return m;
    }

    protected boolean isVector(String name) { return name.contains("bias"); }

    public void importWeights(Map<String, NdArray> weights) {
        for (Slice s : layout.values()) {
            NdArray a = weights.get(s.name());
            if (a == null) throw new IllegalArgumentException("weights lack '" + s.name() + "' (need " + layout.keySet() + ")");
            if (a.size() != s.size() || (a.rank() == 2 && (a.dim(0) != s.rows() || a.dim(1) != s.cols()))) {
                throw new IllegalArgumentException("weight '" + s.name() + "' has shape " + java.util.Arrays.toString(a.shape())
                        + ", expected [" + s.rows() + ", " + s.cols() + "]");
            }
            a.requireFinite("weight '" + s.name() + "'");
            be.write(params, s.offset(), a.data(), 0, s.size());
        }
    }

    public double[] parameter(String name) {
        Slice s = slice(name);
        double[] d = new double[s.size()];
        be.download(params, s.offset(), d, 0, d.length);
        return d;
    }

    public double[] gradient(String name) {
        Slice s = slice(name);
        double[] d = new double[s.size()];
        be.download(grads, s.offset(), d, 0, d.length);
        return d;
    }

    protected void fillUniform(Slice s, double bound, SplittableRandom rng) {
        double[] d = new double[s.size()];
        for (int i = 0; i < d.length; i++) d[i] = bound * (2 * rng.nextDouble() - 1);
        be.write(params, s.offset(), d, 0, d.length);
    }

    protected void fillGaussian(Slice s, double std, SplittableRandom rng) {
        double[] d = new double[s.size()];
        for (int i = 0; i < d.length; i++) {
            double u1 = rng.nextDouble(), u2 = rng.nextDouble();
            d[i] = std * Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
        }
        be.write(params, s.offset(), d, 0, d.length);
    }

    @Override public void close() { params.close(); grads.close(); }
}
