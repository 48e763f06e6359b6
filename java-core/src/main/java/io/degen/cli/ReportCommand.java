package io.degen.cli;

import io.degen.pipeline.Experiment;

import java.nio.file.Path;

/** {@code degen report DIR}: writes DIR/report ({@link Experiment#report}). */
public final class ReportCommand implements Command {
    @Override public String name() { return "report"; }

    @Override public String help() { return "write DIR/report (index.html, PNG/SVG figures, conditions.csv) for a store: report DIR"; }

    @Override public Object run(Args a) throws Exception {
        Path dir = Path.of(a.positional(0, "DIR (a store written by 'degen run')"));
        a.finish();
        return Experiment.report(dir);
    }
}
