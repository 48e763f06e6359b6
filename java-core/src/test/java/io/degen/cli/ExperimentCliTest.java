package io.degen.cli;

import io.degen.testkit.Cli;
import com.fasterxml.jackson.databind.JsonNode;
import io.degen.store.StoreLock;
import io.degen.util.Json;
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

class ExperimentCliTest {
    private static Cli.Result cli(String... argv) { return Cli.run(argv); }

    @Test void planRunReportDegeneracy(@TempDir Path dir) throws Exception {
        Map<String, Object> m = with(flipflop(), "control", "nuclear", list(0, 1e-3));
        m.put("profiles", Map.of("quick", Map.of("seeds", 1)));
        Path spec = dir.resolve("exp.json");
        Files.writeString(spec, Json.line(m));

        Cli.Result plan = cli("plan", spec.toString(), "--shards", "3");
        assertEquals(0, plan.code(), plan.err());
        JsonNode p = plan.json();
        assertEquals("tiny", p.get("name").asText());
        assertEquals(2, p.get("conditions").size());
        assertEquals(4, p.get("runs").asInt());
        assertTrue(p.get("estimated_cost").asDouble() > 0);
        assertTrue(p.get("estimated_seconds").asDouble() > 0, "the cost as time on this machine");
        assertTrue(p.get("timing").get("ms_per_step").asDouble() > 0);
        assertTrue(plan.err().contains("estimated time on this machine: "), plan.err());
        assertFalse(cli("plan", spec.toString(), "--no-timing").json().has("estimated_seconds"));
        assertEquals(3, p.get("shards").size());
        int total = 0;
        for (JsonNode s : p.get("shards")) total += s.get("runs").size();
        assertEquals(4, total);
        assertEquals(2, cli("plan", spec.toString(), "--profile", "quick").json().get("runs").asInt());

        Path out = dir.resolve("store");
        Cli.Result run = cli("run", spec.toString(), "--out", out.toString(), "--workers", "2", "--backend", "java", "--profile", "quick");
        assertEquals(0, run.code(), run.err());
        assertEquals(2, run.json().get("trained").asInt());
        assertTrue(run.json().get("metrics").asBoolean());

        Cli.Result again = cli("run", spec.toString(), "--out", out.toString(), "--backend", "java", "--profile", "quick");
        assertEquals(0, again.json().get("trained").asInt());
        assertEquals(2, again.json().get("skipped").asInt());

        Cli.Result rep = cli("report", out.toString());
        assertEquals(0, rep.code(), rep.err());
        assertTrue(Files.isRegularFile(out.resolve("report/index.html")));

        Cli.Result deg = cli("degeneracy", out.resolve("runs").toString(), "--probe-trials", "4", "--backend", "java");
        assertEquals(0, deg.code(), deg.err());
        assertEquals(2, deg.json().get("networks").asInt());
        assertEquals(2, deg.json().get("conditions").size());
        for (JsonNode c : deg.json().get("conditions")) {
            assertEquals(1, c.get("networks").asInt());
            assertFalse(c.toString().contains("\"matrix\""));
        }

        // The full plan (2 seeds per condition) timed at the epochs the quick store's networks took.
        Cli.Result measured = cli("plan", spec.toString(), "--epochs-from", out.toString(), "--shards", "2", "--workers", "1");
        assertEquals(0, measured.code(), measured.err());
        JsonNode t = measured.json().get("timing");
        double steps = 0;
        try (var recs = Files.list(out.resolve("runs"))) {
            for (Path r : recs.toList()) {
                JsonNode rec = Json.read(r.resolve("record.json"));
                steps += 2 * rec.get("epochs").asDouble() * rec.get("config").get("train").get("steps-per-epoch").asDouble();
            }
        }
        assertEquals(steps, t.get("network_steps").asDouble(), 1e-9);
        assertTrue(t.get("epochs_from").asText().contains("2 trained networks in " + out + " (2 of 2 conditions matched"), t.toString());
        double wall = t.get("seconds").asDouble(), longest = t.get("longest_shard_seconds").asDouble();
        assertTrue(longest >= wall / 2 - 1e-9 && longest <= wall + 1e-9, t.toString());
        assertTrue(measured.err().contains("longest of 2 shards: "), measured.err());
        assertFalse(t.get("epochs_from").asText().contains("other settings"), t.toString());
        Path wider = dir.resolve("wider.json");
        Files.writeString(wider, Json.line(with(with(Json.MAPPER.convertValue(Json.read(spec), Map.class), "model", "hidden", 7), "train", "threshold", 0.5)));
        String from = cli("plan", wider.toString(), "--epochs-from", out.toString()).json().get("timing").get("epochs_from").asText();
        assertTrue(from.contains("trained with other settings, store vs plan: hidden ") && from.contains(" vs 7, threshold ") && from.contains(" vs 0.5"), from);
        Cli.Result nowhere = cli("plan", spec.toString(), "--epochs-from", dir.resolve("nowhere").toString());
        assertEquals(2, nowhere.code());
        assertTrue(nowhere.err().contains("--epochs-from " + dir.resolve("nowhere") + ": "), nowhere.err());
        assertEquals(2, cli("plan", spec.toString(), "--epochs-from", out.toString(), "--no-timing").code());
    }

    /** A store of 3 converged networks per condition is judged, its report holds the same table and one row per network; what cannot be judged exits 2. */
    @Test void verdictJudgesAStoreAndTheReportHoldsIt(@TempDir Path dir) throws Exception {
        Map<String, Object> m = with(flipflop(), "control", "nuclear", list(0, 1e-3));
        with(m, "train", "threshold", 10); // every network converges at once
        with(m, "train", "patience", 0);
        m.put("seeds", 3);
        m.put("expect", Map.of("weights", "up"));
        Path spec = dir.resolve("exp.json"), out = dir.resolve("store");
        Files.writeString(spec, Json.line(m));
        Cli.Result run = cli("run", spec.toString(), "--out", out.toString(), "--workers", "2", "--backend", "java");
        assertEquals(0, run.code(), run.err());
        assertTrue(run.err().contains("] nuclear = 0.001 seed 2: converged"), "progress names the condition by its values: " + run.err());

        Cli.Result v = cli("verdict", out.toString());
        assertEquals(0, v.code(), v.err());
        assertTrue(v.out().startsWith("| figure | knob | level | statistic |"), v.out());
        JsonNode j = v.json();
        assertEquals(3, j.get("cells").size(), "behaviour, dynamics, weights");
        for (JsonNode c : j.get("cells")) {
            assertEquals("nuclear", c.get("knob").asText());
            assertEquals(2, c.get("conditions").size());
            assertEquals(3, c.get("conditions").get(0).get("converged").asInt());
            assertTrue(c.get("p_holm").asDouble() >= c.get("effect").get("p").asDouble());
            String verdict = c.get("verdict").asText();
            if (c.get("level").asText().equals("weights")) assertTrue(List.of("agree", "disagree", "n.s.").contains(verdict), verdict);
            else assertTrue(List.of("not judged", "unresolved").contains(verdict), verdict);
        }
        String markdown = v.out().substring(0, v.out().lastIndexOf("{\"cells\""));
        assertEquals(markdown.strip(), Files.readString(out.resolve("report/verdict.md")).strip(), "the report's table is the command's");
        assertTrue(Files.readString(out.resolve("report/index.html")).contains("<h2>Verdict</h2>"));
        // 3 networks per condition: every interval is flagged as descriptive, in both tables.
        assertTrue(markdown.contains("\nIntervals: 6 of 6 condition estimates rest on 5 or fewer converged networks"), markdown);
        assertTrue(Files.readString(out.resolve("report/index.html")).contains("<p><b>Intervals:</b> 6 of 6 condition estimates"));
        List<String> runs = Files.readAllLines(out.resolve("report/runs.csv"));
        assertEquals("run_id,condition_id,nuclear,seed,status,epochs,final_loss,final_aux_loss,ood_loss,ood_beyond_loss,wall_seconds,engine", runs.get(0));
        assertEquals(1 + 6, runs.size());
        String[] row = runs.get(1).split(",", -1);
        assertEquals("converged", row[4]);
        assertEquals("java", row[11]);
        assertTrue(Double.parseDouble(row[8]) > 0, "OOD loss of the network: " + runs.get(1));

        Cli.Result sens = cli("sensitivity", out.toString(), "--delays", "2,3", "--ranks", "3", "--workers", "1", "--backend", "java");
        assertEquals(0, sens.code(), sens.err());
        assertTrue(sens.out().startsWith("Each row is the same networks") && sens.out().contains("\n| delays | rank |"), sens.out());
        JsonNode rows = sens.json().get("rows");
        assertEquals(2, rows.size());
        assertEquals(3, rows.get(1).get("delays").asInt());
        assertEquals(3, rows.get(1).get("rank").asInt());
        assertEquals("dynamics", rows.get(0).get("dynamics").get("level").asText());
        assertEquals(2, rows.get(0).get("dynamics").get("conditions").size());
        assertNotEquals(rows.get(0).get("dynamics").get("effect").get("slope").asDouble(), rows.get(1).get("dynamics").get("effect").get("slope").asDouble(),
                "another embedding, other distances");
        // A grid the 8-unit networks cannot give fails before anything is fitted, naming the setting.
        Cli.Result tooWide = cli("sensitivity", out.toString(), "--delays", "3,2", "--ranks", "3,17", "--workers", "1", "--backend", "java");
        assertEquals(2, tooWide.code(), tooWide.err());
        assertTrue(tooWide.err().contains("--delays 2 with --ranks 17 does not fit condition ")
                && tooWide.err().contains(": rank must be at most n-delays x units = 2 x 8 = 16 for networks of 8 units, got 17"), tooWide.err());
        assertFalse(tooWide.err().contains("[sensitivity] DSA with"), "nothing fitted first: " + tooWide.err());
        Cli.Result badRanks = cli("sensitivity", out.toString(), "--ranks", "3,3");
        assertEquals(2, badRanks.code());
        assertTrue(badRanks.err().contains("option --ranks lists 3 twice"), badRanks.err());

        Cli.Result none = cli("verdict");
        assertEquals(2, none.code());
        assertTrue(none.err().contains("verdict needs at least one DIR"), none.err());
        Cli.Result notStore = cli("verdict", dir.toString());
        assertEquals(2, notStore.code());
        assertTrue(notStore.err().contains("is not an experiment store"), notStore.err());

        m.put("seeds", 2);
        Path spec2 = dir.resolve("two.json"), out2 = dir.resolve("two");
        Files.writeString(spec2, Json.line(m));
        assertEquals(0, cli("run", spec2.toString(), "--out", out2.toString(), "--workers", "2", "--backend", "java").code());
        Cli.Result few = cli("verdict", out2.toString());
        assertEquals(2, few.code());
        assertTrue(few.err().contains("(nuclear = 0) has 2 converged network(s) of 2; a verdict needs at least 3 per condition"), few.err());
        assertTrue(Files.readString(out2.resolve("report/index.html")).contains("Not judged: "), "the report says why it cannot judge");
    }

    @Test void badInputExitsTwoWithThePath(@TempDir Path dir) throws Exception {
        Path spec = dir.resolve("bad.json");
        Files.writeString(spec, Json.line(with(flipflop(), "task", "channels", list(1, 2, -1))));
        Cli.Result r = cli("plan", spec.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("[:task :channels 2] must be a positive integer, got -1"), r.err());
        Cli.Result shard = cli("run", spec.toString(), "--out", dir.resolve("o").toString(), "--shard", "4/4");
        assertEquals(2, shard.code());
        assertTrue(shard.err().contains("--shard"), shard.err());
        assertEquals(2, cli("plan", dir.resolve("spec.toml").toString()).code());
    }

    @Test void runOnALockedStoreIsRefused(@TempDir Path dir) throws Exception {
        Path spec = dir.resolve("exp.json");
        Files.writeString(spec, Json.line(flipflop()));
        Path out = dir.resolve("store");
        try (StoreLock l = StoreLock.acquire(out)) {
            Cli.Result r = cli("run", spec.toString(), "--out", out.toString(), "--backend", "java");
            assertEquals(2, r.code());
            assertTrue(r.err().contains("another degen run holds " + out.resolve(".lock").toAbsolutePath().normalize()
                    + " (pid " + ProcessHandle.current().pid() + ")"), r.err());
        }
    }
}
