package io.degen.cli;

import io.degen.backend.Backend;
import io.degen.backend.Backends;
import io.degen.pipeline.DsaSensitivity;
import io.degen.pipeline.Experiment;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code degen sensitivity DIR}: the store's dynamics verdict at each DSA setting
 * ({@link Experiment#dsaSensitivity}); prints a Markdown table, then its JSON. Writes nothing.
 */
public final class SensitivityCommand implements Command {
    @Override public String name() { return "sensitivity"; }

    @Override public String help() {
        return "the dynamics verdict at other DSA settings (writes nothing): sensitivity DIR [--delays 3,5,8] [--ranks 10,20,30] [--workers N] [--backend B]";
    }

    @Override public Object run(Args a) throws Exception {
        Path out = Path.of(a.positional(0, "DIR (a measured store)"));
        List<Integer> delays = a.integers("delays", "3,5,8", 1, 1000);
        List<Integer> ranks = a.integers("ranks", "10,20,30", 1, 100000);
        int workers = a.integer("workers", Runtime.getRuntime().availableProcessors(), 1, 1024);
        String backend = a.string("backend", null);
        a.finish();
        try (Backend be = Backends.create(backend)) {
            DsaSensitivity s = Experiment.dsaSensitivity(out, delays, ranks, workers, be, a.err());
            return new Printed(s.markdown(), s);
        }
    }
}
