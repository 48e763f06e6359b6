package io.degen.pipeline;

import io.degen.verdict.Cell;
import io.degen.verdict.ConditionEstimate;
import io.degen.verdict.Verdicts;

import java.util.List;

/**
 * How a figure's dynamics verdict depends on the DSA settings: the same stored networks measured at
 * each (delays, rank), each row judged on its own (one cell, so no Holm adjustment). A conclusion
 * that holds only at one setting is a property of the setting.
 */
public record DsaSensitivity(String store, String figure, String knob, List<Row> rows) {
    /** One setting: its delays and rank, and the dynamics cell measured with it. */
    public record Row(int delays, int rank, Cell dynamics) { }

    public DsaSensitivity { rows = List.copyOf(rows); }

    /** The rows as a Markdown table: per condition the between-network DSA and its null, the effect per step, p, verdict. */
    public String markdown() {
        StringBuilder s = new StringBuilder("Each row is the same networks measured with other DSA settings and judged on its own (raw p, no Holm "
                + "across rows); a setting is not chosen by its verdict.\n\n");
        s.append("| delays | rank | per condition: between-network DSA / same-network null | effect per step [95% CI] | p | verdict |\n");
        s.append("|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            StringBuilder per = new StringBuilder();
            for (ConditionEstimate e : r.dynamics().conditions()) {
                if (per.length() > 0) per.append("; ");
                per.append(e.value()).append(": ").append(Verdicts.format(e.estimate().value())).append(" / ")
                        .append(e.nullDistance() == null ? "-" : Verdicts.format(e.nullDistance().value()));
            }
            s.append("| ").append(r.delays()).append(" | ").append(r.rank()).append(" | ").append(per).append(" | ")
                    .append(Verdicts.effect(r.dynamics().effect())).append(" | ").append(Verdicts.format(r.dynamics().effect().p())).append(" | ")
                    .append(r.dynamics().verdict().label()).append(" |\n");
        }
        return s.toString();
    }
}
