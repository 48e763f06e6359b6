package io.degen.pipeline;

import io.degen.config.Level;
import io.degen.plan.ExperimentSpec;
import io.degen.plan.Plan;
import io.degen.store.MetricsFiles;
import io.degen.store.StoreLayout;
import io.degen.verdict.Direction;
import io.degen.verdict.Figure;
import io.degen.verdict.VerdictException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** A store read as a figure to judge: its plan's one swept knob, the conditions' stored analyses, the spec's expectations. */
final class StoredFigures {
    private StoredFigures() { }

    static Figure load(Path dir) throws IOException { return load(Experiment.storedPlan(dir), dir); }

    /** The figure of a store whose plan is already compiled. */
    static Figure load(Plan plan, Path dir) throws IOException {
        List<ExperimentSpec.Axis> axes = plan.spec().axes();
        if (axes.size() != 1) {
            List<String> names = new ArrayList<>();
            for (ExperimentSpec.Axis a : axes) names.add(a.name());
            throw new VerdictException(dir + ": " + plan.name() + " sweeps " + (names.isEmpty() ? "no knob" : String.join(", ", names))
                    + "; a verdict judges the sweep of one knob");
        }
        String knob = axes.get(0).name();
        StoreLayout layout = StoreLayout.at(dir);
        List<Figure.Condition> conditions = new ArrayList<>();
        for (Plan.Condition c : plan.conditions()) {
            conditions.add(new Figure.Condition(c.id(), c.values().get(knob), MetricsFiles.read(layout, c.id())));
        }
        Map<Level, Direction> expect = new EnumMap<>(Level.class);
        for (var e : plan.spec().expectations().entrySet()) expect.put(Level.parse(e.getKey()), Direction.parse(e.getValue()));
        return new Figure(plan.name(), dir.toString(), knob, conditions, Experiment.levels(plan), expect);
    }
}
