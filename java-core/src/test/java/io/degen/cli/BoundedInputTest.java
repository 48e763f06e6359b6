package io.degen.cli;

import io.degen.io.NdArray;
import io.degen.io.Npy;
import io.degen.testkit.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** Hostile or careless input is refused with exit 2 and a message naming what is wrong; nothing is written. */
class BoundedInputTest {
    static void refused(Cli.Result r, String... words) {
        assertEquals(2, r.code(), r.err());
        for (String w : words) assertTrue(r.err().contains(w), "expected '" + w + "' in: " + r.err());
        assertFalse(r.err().contains("internal error") || r.err().contains("Exception"), r.err());
    }

    @Test void jsonNumbersIntegersAndDuplicateKeys(@TempDir Path dir) throws Exception {
        Path inf = dir.resolve("inf.json"), frac = dir.resolve("frac.json"), dup = dir.resolve("dup.json"), deep = dir.resolve("deep.json");
        Files.writeString(inf, "{\"name\":\"a\",\"task\":{\"type\":\"flipflop\"},\"train\":{\"threshold\":1e400}}");
        Files.writeString(frac, "{\"name\":\"a\",\"task\":{\"type\":\"flipflop\"},\"model\":{\"hidden\":16.0}}");
        Files.writeString(dup, "{\"name\":\"a\",\"task\":{\"type\":\"flipflop\"},\"seeds\":2,\"seeds\":3}");
        Files.writeString(deep, "{\"name\":\"a\",\"task\":{\"type\":\"flipflop\",\"x\":" + "[".repeat(1500) + "]".repeat(1500) + "}}");
        refused(Cli.run("plan", inf.toString()), "[:train :threshold]", "not a finite number");
        refused(Cli.run("plan", frac.toString()), "[:model :hidden] must be a positive integer, got 16.0");
        refused(Cli.run("plan", dup.toString()), "Duplicate field 'seeds'");
        refused(Cli.run("plan", deep.toString()), "nested deeper than 64");
        Path out = dir.resolve("store");
        refused(Cli.run("run", inf.toString(), "--out", out.toString()), "not a finite number");
        assertFalse(Files.exists(out), "nothing written");
    }

    @Test void ednTrailingFormsAndDepth(@TempDir Path dir) throws Exception {
        // (the EDN reader is the DSL module's; without it on the classpath an .edn spec is refused for that reason)
        Path two = dir.resolve("two.edn");
        Files.writeString(two, "{:name \"a\" :task {:type :flipflop}} {:name \"b\"}");
        Cli.Result r = Cli.run("plan", two.toString());
        assertEquals(2, r.code(), r.err());
    }

    @Test void commandLineStrictness(@TempDir Path dir) {
        refused(Cli.run("train", "--task", "flipflop", "--seeds", "1,1", "--out", dir.resolve("t").toString()), "repeats the seed 1");
        refused(Cli.run("train", "--task", "flipflop", "--out", ""), "--out must name a path");
        refused(Cli.run("train", "--task", "flipflop", "--out", dir.resolve("t").toString(), "stray"), "unexpected argument 'stray'");
        refused(Cli.run("train", "--task", "flipflop", "--out", dir.resolve("t").toString(), "-x"), "unknown option -x");
        refused(Cli.run("train", "--task", "flipflop", "--hidden", "8", "--hidden", "16", "--out", dir.resolve("t").toString()), "--hidden is given twice");
        refused(Cli.run("train", "--task", "flipflop", "--batch", "2000000", "--out", dir.resolve("t").toString()), "--batch", "2000000");
        assertFalse(Files.exists(dir.resolve("t")), "nothing trained");
    }

    @Test void metricInputsAreBounded(@TempDir Path dir) throws Exception {
        Path x = dir.resolve("x.npy");
        Npy.write(x, NdArray.f64(new double[] {1, 2, 3, 4, 5, 6}, 3, 2));
        refused(Cli.run("metric", "cka", dir.toString(), x.toString()), "is a directory");
        if (Files.exists(Path.of("/dev/zero"))) refused(Cli.run("metric", "cka", "/dev/zero", x.toString()), "not a regular file");
        Path huge = dir.resolve("huge.npy"), huge2 = dir.resolve("huge2.npy");
        Npy.write(huge, NdArray.f64(new double[] {1e300, -2e300, 3e300, 1e300, 5e300, -1e300}, 3, 2));
        Npy.write(huge2, NdArray.f64(new double[] {2e300, 1e300, -3e300, 4e300, 1e300, 2e300}, 3, 2));
        refused(Cli.run("metric", "cka", huge.toString(), huge2.toString()), "not finite");
    }

    @Test void aDamagedPlanOrMetricsFileIsNamed(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("plan.json"), "{\"name\": \"x\", ");
        refused(Cli.run("report", dir.toString()), "plan.json", "not valid JSON");
        Files.writeString(dir.resolve("plan.json"), "{\"name\": \"x\"}");
        refused(Cli.run("report", dir.toString()), "plan.json", "not a plan");
        refused(Cli.run("measure", dir.resolve("nope").toString()), "not an experiment store");
    }

    /** Asking for an engine this build lacks is a choice to change, not a crash: exit 2, saying how to get it. */
    @Test void anEngineThatIsNotBuiltIsRefusedSayingHowToBuildIt(@TempDir Path dir) throws Exception {
        String why = io.degen.backend.Backends.unavailableReason("cuda");
        org.junit.jupiter.api.Assumptions.assumeTrue(why != null && why.contains("not built"), "the cuda engine is built here");
        Path out = dir.resolve("store");
        Cli.Result r = Cli.run("train", "--task", "flipflop", "--hidden", "4", "--seeds", "0", "--out", out.toString(),
                "--max-epochs", "1", "--steps-per-epoch", "1", "--batch", "2", "--time", "5", "--backend", "cuda");
        refused(r, "degen train: backend cuda is not built into this distribution", "mvn -B -Pcuda", "docs/gpu.md");
        assertFalse(Files.exists(out), "nothing written");
    }
}
