package io.degen.cli;

import io.degen.backend.Backend;
import io.degen.backend.Backends;
import io.degen.pipeline.Networks;
import io.degen.task.TaskRegistry;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * {@code degen import-torch}: stores a PyTorch nn.RNN + nn.Linear state dict, saved with
 * numpy.savez (bare nn.RNN names or a model's {@code rnn.weight_hh_l0}, {@code fc.weight}, ...), as a
 * degen run directory ({@link Networks#importTorch}). The task is required: the network's inputs
 * and outputs only mean something for the task it was trained on.
 */
public final class ImportTorchCommand implements Command {
    @Override public String name() { return "import-torch"; }

    @Override public String help() {
        return "import a PyTorch nn.RNN+Linear state dict (numpy.savez, docs/models.md): STATE.npz --task flipflop --channels 3 --out RUN_DIR"
                + " [--rnn MODULE] [--readout MODULE] [--seed S] [--init STATE0.npz]";
    }

    @Override public Set<String> flags() { return RunOptions.FLAGS; }

    @Override public Object run(Args a) throws Exception {
        Path state = Path.of(a.positional(0, "STATE.npz"));
        if (!a.has("task")) {
            throw new UsageException("missing required option --task: the task the network was trained on, one of " + TaskRegistry.types()
                    + ", with its options as for train (e.g. --task flipflop --channels 3)");
        }
        Path out = a.path("out");
        long seed = a.integer("seed", 0, 0, Integer.MAX_VALUE);
        Path init = a.has("init") ? a.path("init") : null;
        String rnn = a.string("rnn", null), readout = a.string("readout", null);
        Map<String, Object> taskOpts = RunOptions.task(a);
        String backendName = a.string("backend", null);
        a.finish();
        try (Backend be = Backends.create(backendName)) {
            Networks.Imported r = Networks.importTorch(state, init, taskOpts, seed, rnn, readout, out, be);
            if (!r.ignored().isEmpty()) a.err().println("import-torch: not part of the network, left out: " + String.join(", ", r.ignored()));
            return r;
        }
    }
}
