package io.degen.report;

import io.degen.backend.Backend;
import io.degen.backend.Backends;
import io.degen.plan.ExperimentSpec;
import io.degen.plan.Plan;
import io.degen.run.ExperimentRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.degen.plan.TinySpecs.flipflop;
import static io.degen.plan.TinySpecs.list;
import static io.degen.plan.TinySpecs.with;
import static org.junit.jupiter.api.Assertions.*;

class ReportWriterTest {
    @Test void writesHtmlPngSvgAndOneCsvRowPerCondition(@TempDir Path out) throws Exception {
        Plan plan = ExperimentSpec.fromMap(with(flipflop(), "control", "nuclear", list(0, 1e-3, 1e-2))).compile();
        try (Backend be = Backends.create("java")) {
            ExperimentRunner.run(plan, out, 2, be, new PrintStream(new ByteArrayOutputStream(), true));
        }
        Map<String, Object> r = ReportWriter.write(out);
        Path rep = out.resolve("report");
        String html = Files.readString(rep.resolve("index.html"));
        assertTrue(html.startsWith("<!DOCTYPE html>"));
        assertTrue(html.contains("conditions.csv"));
        List<String> csv = Files.readAllLines(rep.resolve("conditions.csv"));
        assertEquals(1 + 3, csv.size());
        assertTrue(csv.get(0).startsWith("condition_id,nuclear,networks,converged,not_converged,diverged,behaviour_sd_ood,behaviour_sd_ood_se"), csv.get(0));
        for (int i = 1; i < csv.size(); i++) assertTrue(csv.get(i).startsWith(plan.conditions().get(i - 1).id() + ","));
        for (String stem : List.of("loss-curves", "share-converged")) {
            assertTrue(Files.size(rep.resolve(stem + ".png")) > 1000, stem);
            String svg = Files.readString(rep.resolve(stem + ".svg"));
            assertTrue(svg.contains("<svg"), stem);
            assertTrue(html.contains(stem + ".png"));
        }
        @SuppressWarnings("unchecked") List<String> figs = (List<String>) r.get("figures");
        assertTrue(figs.contains("loss-curves.svg"));
        assertEquals(3, r.get("conditions"));
    }

    @Test void classicalMdsRecoversDistances() {
        double[][] pts = {{0, 0}, {3, 0}, {0, 4}, {1, 1}};
        double[][] d = new double[4][4];
        for (int i = 0; i < 4; i++) for (int j = 0; j < 4; j++) d[i][j] = Math.hypot(pts[i][0] - pts[j][0], pts[i][1] - pts[j][1]);
        double[][] xy = ReportWriter.classicalMds(d, 2);
        for (int i = 0; i < 4; i++) for (int j = 0; j < 4; j++) {
            assertEquals(d[i][j], Math.hypot(xy[0][i] - xy[0][j], xy[1][i] - xy[1][j]), 1e-9);
        }
    }

    @Test void aDirectoryWithoutPlanIsRejected(@TempDir Path out) {
        var e = assertThrows(IllegalArgumentException.class, () -> ReportWriter.write(out));
        assertTrue(e.getMessage().contains("no plan.json"));
    }
}
