package io.degen.pipeline;

import io.degen.config.RunConfig;
import io.degen.degeneracy.ConditionResult;
import io.degen.degeneracy.MetricValue;
import io.degen.degeneracy.NetworkResult;
import io.degen.plan.Plan;
import io.degen.store.Catalog;
import io.degen.store.MetricsFiles;
import io.degen.store.RunArtifacts;
import io.degen.store.RunRecord;
import io.degen.store.StoredRun;
import io.degen.util.Json;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Rebuilds a store's catalog from what the store holds: the run directories (the source of truth),
 * the plan and the metrics files. Rows of runs whose directories are gone are removed.
 */
final class Reindex {
    private Reindex() { }

    /** What a rebuild wrote. */
    record Counts(int runs, int conditions, int metrics, int removed, List<String> unreadable) { }

    static Counts rebuild(StoreSession s, Plan plan, PrintStream err) throws IOException, SQLException {
        Set<String> present = new HashSet<>();
        List<String> unreadable = new java.util.ArrayList<>();
        Path runs = s.layout.runs();
        List<Path> dirs = new java.util.ArrayList<>();
        if (Files.isDirectory(runs)) {
            try (var st = Files.list(runs)) { dirs.addAll(st.filter(Files::isDirectory).filter(d -> !d.getFileName().toString().startsWith(".")).sorted().toList()); }
        }
        int[] n = {0, 0, 0};
        s.catalog.transaction(() -> {
            if (plan != null) {
                for (Plan.Condition c : plan.conditions()) { s.catalog.upsertCondition(c.id(), plan.name(), Json.line(c.values())); n[1]++; }
            }
            for (Path d : dirs) {
                String id = d.getFileName().toString();
                StoredRun r = s.store.get(id);
                if (r == null) { unreadable.add(id + " (" + s.store.problem(id) + ")"); continue; }
                present.add(id);
                s.catalog.upsertRun(row(plan, r));
                n[0]++;
            }
            if (plan != null) {
                for (Plan.Condition c : plan.conditions()) {
                    ConditionResult a;
                    try { a = MetricsFiles.read(s.layout, c.id()); } catch (IOException e) { err.println("metrics of " + c.id() + " not indexed: " + e.getMessage()); continue; }
                    if (a == null) continue;
                    for (MetricValue v : a.metrics()) { s.catalog.upsertMetric(plan.name(), c.id(), v.metric(), v.value(), v.se(), v.n()); n[2]++; }
                    for (var e : a.perRun().entrySet()) {
                        NetworkResult x = e.getValue();
                        if (x.oodLoss() != null && present.contains(e.getKey())) s.catalog.setOodLoss(e.getKey(), x.oodLoss());
                    }
                }
            }
            return null;
        });
        int removed = s.catalog.deleteRunsNotIn(present);
        for (String u : unreadable) err.println("not indexed: " + u);
        return new Counts(n[0], n[1], n[2], removed, unreadable);
    }

    /** The catalog row of a stored network: its plan's names where it belongs to the plan, else its record's. */
    static Catalog.RunRow row(Plan plan, StoredRun s) {
        RunRecord rec = s.record();
        RunConfig r = s.config();
        Plan.Condition c = plan == null ? null : plan.conditionOf(r.id());
        return new Catalog.RunRow(r.id(), plan == null ? null : plan.name(), plan == null ? null : plan.spec().hash(),
                c == null ? rec.condition() : c.id(), c == null ? null : Json.line(c.values()), r.seed(), rec.status().label(),
                rec.epochs(), rec.finalLoss(), null, rec.wallSeconds(), rec.backend());
    }
}
