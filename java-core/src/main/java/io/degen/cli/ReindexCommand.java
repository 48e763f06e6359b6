package io.degen.cli;

import io.degen.pipeline.Experiment;

import java.nio.file.Path;

/** {@code degen reindex DIR}: rebuilds a store's catalog from its run directories ({@link Experiment#reindex}). */
public final class ReindexCommand implements Command {
    @Override public String name() { return "reindex"; }

    @Override public String help() { return "rebuild a store's catalog.sqlite from its run directories, plan and metrics: reindex DIR"; }

    @Override public Object run(Args a) throws Exception {
        Path out = Path.of(a.positional(0, "DIR (a store)"));
        a.finish();
        return Experiment.reindex(out, a.err());
    }
}
