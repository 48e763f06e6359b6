package io.degen.cli;

import io.degen.pipeline.Experiment;
import io.degen.verdict.VerdictTable;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code degen verdict DIR...}: judges stored studies against their specs' expected directions
 * ({@link Experiment#verdict}); prints the table as Markdown, then its JSON on the last line.
 */
public final class VerdictCommand implements Command {
    @Override public String name() { return "verdict"; }

    @Override public String help() { return "judge stored studies against the spec's expected directions (Table 1): verdict DIR..."; }

    @Override public Object run(Args a) throws Exception {
        List<String> dirs = a.positionals();
        if (dirs.isEmpty()) throw new UsageException("verdict needs at least one DIR (a store written by 'degen run')");
        a.finish();
        List<Path> stores = new ArrayList<>();
        for (String d : dirs) stores.add(Path.of(d));
        VerdictTable t = Experiment.verdict(stores);
        return new Printed(t.markdown(), t);
    }
}
