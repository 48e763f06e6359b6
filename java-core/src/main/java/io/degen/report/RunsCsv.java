package io.degen.report;

import io.degen.degeneracy.ConditionResult;
import io.degen.degeneracy.NetworkResult;
import io.degen.store.RunRecord;
import io.degen.store.Store;
import io.degen.store.StoredRun;

import java.util.List;
import java.util.Map;

/**
 * {@code runs.csv}: one row per planned network (seed, condition, how training ended, epochs, final
 * loss, OOD loss, wall time, engine), numbers written exactly (shortest round-trip decimal), so a
 * reader can recompute every per-network statistic with numpy. A network that is not stored or does
 * not verify has status {@code missing} or {@code corrupt} and empty numbers.
 */
final class RunsCsv {
    /** A condition of the plan: its id, axis values, planned run ids and analysis (null before measure). */
    record Condition(String id, Map<String, Object> values, List<String> runs, ConditionResult analysis) { }


    private RunsCsv() { }

    static String of(Store store, List<Condition> conditions, List<String> axes) {
        StringBuilder b = new StringBuilder();
        b.append("run_id,condition_id");
        for (String a : axes) b.append(',').append(ReportWriter.cell(a));
        b.append(",seed,status,epochs,final_loss,final_aux_loss,ood_loss,ood_beyond_loss,wall_seconds,engine\n");
        for (Condition c : conditions) {
            for (String id : c.runs()) {
                b.append(id).append(',').append(c.id());
                for (String a : axes) b.append(',').append(ReportWriter.cell(String.valueOf(c.values().get(a))));
                StoredRun run = store.get(id);
                if (run == null) {
                    b.append(",,").append(store.isCorrupt(id) ? "corrupt" : "missing").append(",,,,,,,,\n");
                    continue;
                }
                RunRecord r = run.record();
                NetworkResult n = c.analysis() == null || c.analysis().perRun() == null ? null : c.analysis().perRun().get(id);
                b.append(',').append(run.config().seed()).append(',').append(r.status().name().toLowerCase(java.util.Locale.ROOT))
                        .append(',').append(r.epochs()).append(',').append(exact(r.finalLoss())).append(',').append(exact(r.finalAuxLoss()))
                        .append(',').append(exact(n == null ? null : n.oodLoss())).append(',').append(exact(n == null ? null : n.oodBeyondLoss()))
                        .append(',').append(exact(r.wallSeconds())).append(',').append(r.backend() == null ? "" : ReportWriter.cell(r.backend()))
                        .append('\n');
            }
        }
        return b.toString();
    }

    private static String exact(Double v) { return v == null || !Double.isFinite(v) ? "" : Double.toString(v); }
}
