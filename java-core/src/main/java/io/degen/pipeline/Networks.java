package io.degen.pipeline;

import io.degen.backend.Backend;
import io.degen.backend.DType;
import io.degen.config.ModelConfig;
import io.degen.config.RunConfig;
import io.degen.config.RunStatus;
import io.degen.config.TrainConfig;
import io.degen.io.NdArray;
import io.degen.io.Npy;
import io.degen.model.RnnModel;
import io.degen.model.Simulation;
import io.degen.model.Workspace;
import io.degen.store.RunArtifacts;
import io.degen.store.StoredRun;
import io.degen.task.Task;
import io.degen.task.TrialBatch;
import io.degen.train.StoppingRule;
import io.degen.train.TrainResult;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Single networks: running a stored one on trials, and importing one trained in PyTorch. */
public final class Networks {
    private Networks() { }

    /**
     * What a network is run on: {@code count} trials its task generates from {@code seed} (the OOD
     * form with {@code ood}), or the caller's own {@code inputs} (trials, time, inputs), which have no
     * targets. {@code source} names the inputs in messages.
     */
    public record Trials(int count, long seed, boolean ood, NdArray inputs, String source) {
        public static Trials generated(int count, long seed, boolean ood) {
            if (count < 1) throw new IllegalArgumentException("trials must be >= 1, got " + count);
            return new Trials(count, seed, ood, null, null);
        }

        public static Trials given(NdArray inputs, String source) { return new Trials(0, 0, false, inputs, source); }

        /** The inputs in a .npy file. */
        public static Trials read(Path npy) throws IOException { return given(Npy.read(npy), npy.toString()); }
    }

    /**
     * A network run forward, batch-major: inputs (trials, time, inputs), hidden states (trials, time,
     * units; the state before tanh for the muP model), outputs (trials, time, outputs); targets and
     * loss mask (trials, time, outputs) only where the task generated the trials (null otherwise),
     * and the masked MSE (NaN without targets).
     */
    public record Trajectories(NdArray inputs, NdArray hidden, NdArray output, NdArray targets, NdArray mask, double loss) {
        /** The arrays under the names {@code simulate} writes into an .npz, those that exist. */
        public Map<String, NdArray> arrays() {
            Map<String, NdArray> m = new LinkedHashMap<>();
            m.put("hidden", hidden);
            m.put("output", output);
            m.put("inputs", inputs);
            if (targets != null) { m.put("targets", targets); m.put("mask", mask); }
            return m;
        }
    }

    /** Runs a stored network on these trials (float64, whatever precision it trained in). */
    public static Trajectories trajectories(Path runDir, Trials trials, Backend be) throws IOException {
        StoredRun st = RunArtifacts.read(runDir);
        Map<String, NdArray> weights = st.weights();
        for (var e : weights.entrySet()) e.getValue().requireFinite(runDir.resolve(RunArtifacts.WEIGHTS) + ": array " + e.getKey());
        Task task = st.config().task();
        TrialBatch tb = trials.inputs() != null ? given(task, trials.inputs(), trials.source(), runDir)
                : trials.ood() ? task.oodBatch(trials.count(), new SplittableRandom(trials.seed()))
                : task.batch(trials.count(), new SplittableRandom(trials.seed()));
        try (RnnModel m = load(be, st.config(), weights); Workspace ws = m.workspace()) {
            Simulation s = m.simulate(ws, tb);
            int b = tb.batch(), t = tb.time(), o = tb.outputs();
            NdArray in = NdArray.f64(tb.input(), b, t, tb.inputs());
            if (trials.inputs() != null) return new Trajectories(in, s.states(), s.outputs(), null, null, Double.NaN);
            return new Trajectories(in, s.states(), s.outputs(), NdArray.f64(tb.target(), b, t, o), NdArray.f64(tb.mask(), b, t, o), s.loss());
        }
    }

    /** The caller's inputs as trials without targets, checked against what the network takes. */
    private static TrialBatch given(Task task, NdArray x, String source, Path runDir) {
        int in = task.inputSize();
        if (x.rank() != 3 || x.dim(2) != in || x.dim(0) < 1 || x.dim(1) < 1) {
            throw new IllegalArgumentException(source + " has shape " + Arrays.toString(x.shape()) + ", expected (trials, time, " + in
                    + "): the network " + runDir + " takes " + in + " input(s) per step (task " + task.type() + ")"
                    + (x.rank() == 2 && x.dim(1) == in ? "; one trial of shape (time, inputs) needs a leading axis, e.g. x[None]" : ""));
        }
        x.requireFinite(source);
        int b = x.dim(0), t = x.dim(1), o = task.outputSize();
        return new TrialBatch(b, t, in, o, x.data().clone(), new double[b * t * o], new double[b * t * o]);
    }

    /**
     * What {@link #simulate} wrote: the file, the hidden states' shape, the arrays in it, whether
     * the trials were the OOD form, the loss (null without targets) and where the inputs came from
     * (null when the task generated them).
     */
    public record Simulated(String out, int[] shape, List<String> arrays, boolean ood, double loss, String inputs) { }

    /**
     * Runs a stored network on these trials and writes the result: to {@code .npz} every array of
     * {@link Trajectories} in float64; to any other name (as before) the hidden states alone as
     * float32 {@code .npy}.
     */
    public static Simulated simulate(Path runDir, Trials trials, Path out, Backend be) throws IOException {
        Trajectories tr = trajectories(runDir, trials, be);
        List<String> names;
        if (out.getFileName() != null && out.getFileName().toString().endsWith(".npz")) {
            Map<String, NdArray> arrays = tr.arrays();
            Npy.writeNpz(out, arrays);
            names = new ArrayList<>(arrays.keySet());
        } else {
            Npy.write(out, NdArray.f32(tr.hidden().data(), tr.hidden().shape()));
            names = List.of("hidden");
        }
        return new Simulated(out.toString(), tr.hidden().shape(), names, trials.ood(), tr.loss(), trials.source());
    }

    /**
     * What {@link #importTorch} stored: where, its run id, loss and status on fresh trials, its width,
     * the module names it was read from, the SHA-256 its id includes, and the file's keys it left out.
     */
    public record Imported(String out, String id, double loss, String status, int hidden, String rnn, String readout,
                           String weightsSha256, List<String> ignored) { }

    /**
     * Stores a network trained in PyTorch (an .npz of its state dict, see {@link TorchState}) as a
     * degen run of the given task: it is scored on 256 fresh trials and judged by the stopping rule's
     * threshold; without initial weights the final ones stand in (weight change 0). Its id includes
     * the SHA-256 of its weights, so different networks never share an id and the same file always
     * gets the same one. {@code rnn} and {@code readout} name the modules (null: found).
     */
    public static Imported importTorch(Path state, Path init, Map<String, Object> taskOptions, long seed, String rnn, String readout,
                                       Path out, Backend be) throws IOException {
        TorchState s = TorchState.read(state, rnn, readout);
        TorchState s0 = init == null ? null : TorchState.read(init, s.rnn(), s.readout());
        RunConfig base = new RunConfig(taskOptions, ModelConfig.standard(s.hidden()), TrainConfig.defaults().withDtype(DType.F64), seed);
        fitsTask(s, state, base.task());
        if (s0 != null) sameShapes(s, s0, init);
        String sha = TorchState.sha256(s0 == null ? List.of(s.weights()) : List.of(s.weights(), s0.weights()));
        RunConfig run = base.withImportedWeights(sha);
        try (RnnModel m = load(be, run, s.weights()); Workspace ws = m.workspace();
             RnnModel m0 = load(be, run, s0 == null ? s.weights() : s0.weights())) {
            double loss = m.simulate(ws, run.task().batch(256, new SplittableRandom(seed))).loss();
            RunStatus st = StoppingRule.judge(loss, StoppingRule.threshold(run));
            TrainResult tr = new TrainResult(st, 0, loss, new double[] {loss}, 0, m0.exportWeights(), m.exportWeights(), be.name());
            Path target = out.toAbsolutePath();
            Path dir = RunArtifacts.write(target.getParent(), run, tr, state.toString());
            if (!dir.equals(target)) {
                Files.move(dir, target, StandardCopyOption.ATOMIC_MOVE);
                dir = target;
            }
            return new Imported(dir.toString(), run.id(), loss, st.label(), s.hidden(), s.rnn(), s.readout(), sha, s.ignored());
        }
    }

    /** The network's inputs and outputs are the task's: otherwise the wrong task (or its options) was named. */
    private static void fitsTask(TorchState s, Path file, Task task) {
        int in = s.weights().get("weight_ih_l0").dim(1), out = s.weights().get("readout.weight").dim(0);
        String rp = s.rnn().isEmpty() ? "" : s.rnn() + ".", op = s.readout().isEmpty() ? "" : s.readout() + ".";
        String opts = io.degen.util.Json.line(task.options());
        if (in != task.inputSize()) {
            throw new IllegalArgumentException(file + ": " + rp + "weight_ih_l0 takes " + in + " input(s), but task " + opts + " gives "
                    + task.inputSize() + " (name the task and options the network was trained on, e.g. --channels " + in + ")");
        }
        if (out != task.outputSize()) {
            throw new IllegalArgumentException(file + ": read-out " + op + "weight gives " + out + " output(s), but task " + opts + " has "
                    + task.outputSize() + " (name the task and options the network was trained on)");
        }
    }

    private static void sameShapes(TorchState s, TorchState s0, Path init) {
        if (s0.hidden() != s.hidden()) {
            throw new IllegalArgumentException(init + ": the initial network has " + s0.hidden() + " hidden units, the trained one " + s.hidden()
                    + " (--init takes the state of the same network before training)");
        }
        for (var e : s.weights().entrySet()) {
            int[] a = e.getValue().shape(), b = s0.weights().get(e.getKey()).shape();
            if (!Arrays.equals(a, b)) {
                throw new IllegalArgumentException(init + ": initial " + e.getKey() + " has shape " + Arrays.toString(b)
                        + ", but the trained network's is " + Arrays.toString(a));
            }
        }
    }

    private static RnnModel load(Backend be, RunConfig run, Map<String, NdArray> weights) {
        Task t = run.task();
        return io.degen.model.Networks.load(be, DType.F64, run.model(), t.inputSize(), t.outputSize(), weights);
    }
}
