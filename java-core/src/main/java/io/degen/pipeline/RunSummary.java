package io.degen.pipeline;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * What one {@code run} (or one shard of it) did: runs in the plan, runs this invocation was to
 * train (its shard), trained now, already stored, found corrupt and trained again; whether metrics
 * were computed (they wait until every run of the plan is stored), for how many conditions, and
 * the report written, if any.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunSummary(String out, int runs, int selected, int trained, int skipped, List<String> corrupt, boolean metrics,
                         int conditionsAnalysed, String report, @JsonIgnore List<TrainingPool.Outcome> outcomes) {
    public RunSummary withReport(String r) {
        return new RunSummary(out, runs, selected, trained, skipped, corrupt, metrics, conditionsAnalysed, r, outcomes);
    }

    public static RunSummary of(TrainSummary t, MeasureSummary m) {
        return new RunSummary(t.out(), t.runs(), t.selected(), t.trained(), t.skipped(), t.corrupt(), m != null,
                m == null ? 0 : m.conditions(), null, t.outcomes());
    }
}
