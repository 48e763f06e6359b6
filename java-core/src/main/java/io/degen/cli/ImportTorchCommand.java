package io.degen.cli;

import io.degen.backend.Backend;
import io.degen.backend.Backends;
import io.degen.io.NdArray;
import io.degen.io.Npy;
import io.degen.pipeline.Networks;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * {@code degen import-torch}: stores an exported PyTorch nn.RNN + nn.Linear state (npz with
 * weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0, readout.weight, readout.bias) as a degen run
 * directory ({@link Networks#importTorch}).
 */
public final class ImportTorchCommand implements Command {
    @Override public String name() { return "import-torch"; }

    @Override public String help() { return "import a PyTorch nn.RNN+Linear state: STATE.npz --task flipflop --channels 3 --out RUN_DIR [--seed S] [--init STATE0.npz]"; }

    @Override public Set<String> flags() { return RunOptions.FLAGS; }

    @Override public Object run(Args a) throws Exception {
        Path state = Path.of(a.positional(0, "STATE.npz"));
        Path out = a.path("out");
        long seed = a.integer("seed", 0, 0, Integer.MAX_VALUE);
        Path init = a.has("init") ? a.path("init") : null;
        Map<String, Object> taskOpts = RunOptions.task(a);
        String backendName = a.string("backend", null);
        a.finish();
        Map<String, NdArray> w = finite(state), w0 = init == null ? null : finite(init);
        try (Backend be = Backends.create(backendName)) {
            return Networks.importTorch(w, w0, taskOpts, seed, state.toString(), out, be);
        }
    }

    private static Map<String, NdArray> finite(Path file) throws java.io.IOException {
        Map<String, NdArray> w = Npy.readNpz(file);
        for (var e : w.entrySet()) e.getValue().requireFinite(file + ": array " + e.getKey());
        return w;
    }
}
