package io.degen.verdict;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A verdict table: one cell per figure and level, Holm-adjusted together, with the count of each
 * outcome per level. {@link #markdown()} is the table as degen prints it and docs/results.md holds it.
 */
public record VerdictTable(List<Cell> cells) {
    public VerdictTable { cells = List.copyOf(cells); }

    /** Per level (behaviour, dynamics, weights), how many cells came out each way (every outcome listed, zeros too). */
    @JsonProperty("counts")
    public Map<String, Map<String, Integer>> counts() {
        Map<String, Map<String, Integer>> out = new LinkedHashMap<>();
        for (var level : Verdicts.JUDGED) {
            Map<String, Integer> row = new LinkedHashMap<>();
            for (Outcome o : Outcome.values()) row.put(o.label(), 0);
            out.put(level.label(), row);
        }
        for (Cell c : cells) out.get(c.level()).merge(c.verdict().label(), 1, Integer::sum);
        return out;
    }

    /** At or below this many converged networks a condition's bootstrap interval is too narrow (docs/statistics.md). */
    public static final int DESCRIPTIVE_INTERVALS_UP_TO = 5;

    /** Why some intervals are to be read as descriptive, or null when every condition is large enough. */
    @JsonIgnore
    public String smallSampleNote() {
        int small = 0, all = 0;
        for (Cell c : cells) {
            for (ConditionEstimate e : c.conditions()) {
                all++;
                if (e.converged() <= DESCRIPTIVE_INTERVALS_UP_TO) small++;
            }
        }
        if (small == 0) return null;
        return small + " of " + all + " condition estimates rest on " + DESCRIPTIVE_INTERVALS_UP_TO + " or fewer converged networks: at that size "
                + "the bootstrap's resamples hold few distinct networks and its interval is too narrow (for a pairwise mean its ends approach "
                + "the smallest and largest pair), so read those intervals as descriptive; the p-values decide the verdicts (docs/statistics.md).";
    }

    /** The table, its notes and the counts, in Markdown. */
    @JsonIgnore
    public String markdown() {
        StringBuilder s = new StringBuilder();
        s.append("| figure | knob | level | statistic | per condition: estimate [95% CI] (converged/trained) | effect per step [95% CI] | p | p (Holm) | expected | verdict |\n");
        s.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (Cell c : cells) {
            StringBuilder per = new StringBuilder();
            for (ConditionEstimate e : c.conditions()) {
                if (per.length() > 0) per.append("; ");
                per.append(e.value()).append(": ").append(Verdicts.format(e.estimate().value()))
                        .append(" [").append(Verdicts.format(e.estimate().lo())).append(", ").append(Verdicts.format(e.estimate().hi())).append("]")
                        .append(" (").append(e.converged()).append('/').append(e.networks()).append(')');
            }
            s.append("| ").append(c.figure()).append(" | ").append(c.knob()).append(" | ").append(c.level()).append(" | ").append(c.statistic())
                    .append(" | ").append(per).append(" | ").append(Verdicts.effect(c.effect())).append(" | ").append(Verdicts.format(c.effect().p()))
                    .append(" | ").append(Verdicts.format(c.pHolm())).append(" | ").append(c.expected() == null ? "-" : c.expected().label())
                    .append(" | ").append(c.verdict().label()).append(" |\n");
        }
        String small = smallSampleNote();
        if (small != null) s.append("\nIntervals: ").append(small).append('\n');
        boolean notes = false;
        java.util.Set<String> said = new java.util.HashSet<>(); // a note on every cell of a figure (its convergence) is said once
        for (Cell c : cells) {
            List<String> fresh = new java.util.ArrayList<>();
            for (String n : c.notes()) if (said.add(c.figure() + "\n" + n)) fresh.add(n);
            if (fresh.isEmpty() && c.carriedBy() == null) continue;
            if (!notes) { s.append("\nNotes:\n\n"); notes = true; }
            StringBuilder line = new StringBuilder("- ").append(c.figure()).append(", ").append(c.level()).append(": ");
            if (c.carriedBy() != null) {
                line.append("carried by ").append(c.carriedBy().isEmpty() ? "none of the baselines" : String.join(", ", c.carriedBy()));
                StringBuilder b = new StringBuilder();
                for (var e : c.baselines().entrySet()) {
                    if (b.length() > 0) b.append("; ");
                    b.append(e.getKey()).append(' ').append(Verdicts.effect(e.getValue())).append(", p = ").append(Verdicts.format(e.getValue().p()));
                }
                line.append(" (").append(b).append(")");
                if (!fresh.isEmpty()) line.append("; ");
            }
            line.append(String.join("; ", fresh)).append('\n');
            s.append(line);
        }
        s.append("\n| level |");
        for (Outcome o : Outcome.values()) s.append(' ').append(o.label()).append(" |");
        s.append("\n|---|");
        for (int i = 0; i < Outcome.values().length; i++) s.append("---|");
        s.append('\n');
        for (var row : counts().entrySet()) {
            s.append("| ").append(row.getKey()).append(" |");
            for (int v : row.getValue().values()) s.append(' ').append(v).append(" |");
            s.append('\n');
        }
        return s.toString();
    }
}
