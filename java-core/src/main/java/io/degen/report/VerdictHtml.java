package io.degen.report;

import io.degen.verdict.Cell;
import io.degen.verdict.ConditionEstimate;
import io.degen.verdict.VerdictTable;
import io.degen.verdict.Verdicts;

/** The report's verdict section: the study's rows of Table 1 as an HTML table, or why it cannot be judged. */
final class VerdictHtml {
    private VerdictHtml() { }

    static String section(VerdictTable table, String problem) {
        StringBuilder h = new StringBuilder("<h2>Verdict</h2>\n");
        if (table == null) {
            return h.append("<p>Not judged: ").append(ReportWriter.esc(problem == null ? "no verdict was asked for" : problem)).append("</p>\n").toString();
        }
        h.append("<p>Does the knob move degeneracy the way the paper says? Per level: the statistic in each condition with its 95% interval "
                + "(bootstrap over networks), the change per step of the sweep with its interval, p raw and Holm-adjusted over this table, "
                + "and the verdict against the spec's <code>expect</code>. A dynamics cell whose networks DSA cannot tell apart from the same "
                + "network on other trials is <em>unresolved</em>. Methods: docs/statistics.md; the same table as Markdown: "
                + "<a href=\"verdict.md\">verdict.md</a>.</p>\n");
        h.append("<table><tr><th>level</th><th>statistic</th><th>per condition</th><th>effect per step [95% CI]</th><th>p</th><th>p (Holm)</th>"
                + "<th>expected</th><th>verdict</th></tr>\n");
        for (Cell c : table.cells()) {
            h.append("<tr><td>").append(c.level()).append("</td><td>").append(c.statistic()).append("</td><td>");
            for (ConditionEstimate e : c.conditions()) {
                h.append(ReportWriter.esc(c.knob() + " = " + e.value())).append(": ").append(Verdicts.format(e.estimate().value()))
                        .append(" [").append(Verdicts.format(e.estimate().lo())).append(", ").append(Verdicts.format(e.estimate().hi())).append("] (")
                        .append(e.converged()).append('/').append(e.networks()).append(")<br>");
            }
            h.append("</td><td>").append(Verdicts.format(c.effect().slope())).append(" [").append(Verdicts.format(c.effect().lo())).append(", ").append(Verdicts.format(c.effect().hi()))
                    .append("]</td><td>").append(Verdicts.format(c.effect().p())).append("</td><td>").append(Verdicts.format(c.pHolm())).append("</td><td>")
                    .append(c.expected() == null ? "&ndash;" : c.expected().label()).append("</td><td><b>").append(ReportWriter.esc(c.verdict().label()))
                    .append("</b></td></tr>\n");
        }
        h.append("</table>\n");
        String small = table.smallSampleNote();
        if (small != null) h.append("<p><b>Intervals:</b> ").append(ReportWriter.esc(small)).append("</p>\n");
        boolean any = false;
        for (Cell c : table.cells()) {
            for (String n : c.notes()) {
                if (!any) { h.append("<ul>\n"); any = true; }
                h.append("<li>").append(c.level()).append(": ").append(ReportWriter.esc(n)).append("</li>\n");
            }
            if (c.carriedBy() != null) {
                if (!any) { h.append("<ul>\n"); any = true; }
                h.append("<li>weights: carried by ").append(c.carriedBy().isEmpty() ? "none of the baselines" : ReportWriter.esc(String.join(", ", c.carriedBy())))
                        .append(" (initial weights, trained minus initial, scale-free)</li>\n");
            }
        }
        if (any) h.append("</ul>\n");
        return h.toString();
    }

}
