package io.degen.cli;

import io.degen.backend.Backend;
import io.degen.backend.Backends;
import io.degen.pipeline.Experiment;

import java.nio.file.Path;

/**
 * {@code degen measure DIR}: computes the metrics of a trained store from the plan it holds
 * ({@link Experiment#measure}), without training; then {@code degen report DIR} shows them.
 */
public final class MeasureCommand implements Command {
    @Override public String name() { return "measure"; }

    @Override public String help() { return "compute the metrics of a trained store (trains nothing): measure DIR [--workers N] [--backend B]"; }

    @Override public Object run(Args a) throws Exception {
        Path out = Path.of(a.positional(0, "DIR (a store written by 'degen run' or merged shards)"));
        int workers = a.integer("workers", Runtime.getRuntime().availableProcessors(), 1, 1024);
        String backend = a.string("backend", null);
        a.finish();
        try (Backend be = Backends.create(backend)) {
            return Experiment.measure(out, workers, be, a.err());
        }
    }
}
