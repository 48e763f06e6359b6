package io.degen.cli;

import io.degen.testkit.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** The mistakes a new user makes at the command line: each ends in exit 2 with the option named, or in help. */
class MistypedInputTest {
    private static final String SPEC = "../examples/quickstart.edn";

    @Test void anOptionWithoutItsValueDoesNotSwallowTheNextOption(@TempDir Path dir) {
        Cli.Result r = Cli.run("run", SPEC, "--out", "--no-report");
        assertEquals(2, r.code(), r.err());
        assertEquals("degen run: option --out needs a value, got the option --no-report instead (a value that starts with -- is written --out=VALUE)",
                r.err().strip());
        assertFalse(Files.exists(Path.of("--no-report")), "no folder named after the option");
        Cli.Result w = Cli.run("plan", SPEC, "--workers", "--no-timing");
        assertEquals(2, w.code());
        assertTrue(w.err().contains("option --workers needs a value, got the option --no-timing instead"), w.err());
        // Negative numbers are values, not options.
        Cli.Result neg = Cli.run("plan", SPEC, "--workers", "-1", "--no-timing");
        assertEquals(2, neg.code());
        assertTrue(neg.err().contains("option --workers must be in [1, 1024], got -1"), neg.err());
    }

    @Test void helpForOneCommand() {
        for (String[] argv : new String[][] {{"plan", "--help"}, {"plan", SPEC, "-h"}, {"help", "plan"}}) {
            Cli.Result r = Cli.run(argv);
            assertEquals(0, r.code(), String.join(" ", argv) + ": " + r.err());
            assertTrue(r.out().startsWith("usage: degen plan [options]\n"), r.out());
            assertTrue(r.out().contains("--epochs-from STORE"), r.out());
            assertFalse(r.out().contains("train networks"), "only that command: " + r.out());
        }
        Cli.Result two = Cli.run("help", "metric", "dsa");
        assertEquals(0, two.code());
        assertTrue(two.out().startsWith("usage: degen metric dsa [options]"), two.out());
        Cli.Result all = Cli.run("help");
        assertEquals(0, all.code());
        assertTrue(all.out().contains("train networks") && all.out().contains("metric pif"), all.out());
        for (String[] argv : new String[][] {{"help", "bench"}, {"bench", "--help"}}) {
            Cli.Result family = Cli.run(argv);
            assertEquals(0, family.code(), family.err());
            assertTrue(family.out().contains("bench train") && family.out().contains("bench pif") && !family.out().contains("metric dsa"), family.out());
        }
        Cli.Result bare = Cli.run("metric");
        assertEquals(2, bare.code());
        assertTrue(bare.err().startsWith("degen: 'metric' needs one of its commands:") && bare.err().contains("metric pif"), bare.err());
        Cli.Result unknown = Cli.run("help", "trian");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("unknown command 'trian'"), unknown.err());
    }

    @Test void anOutputPathThatIsAFileIsSaidInWords(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("W1.npy"), "x");
        Path spec = Files.writeString(dir.resolve("tiny.json"), io.degen.util.Json.line(io.degen.plan.TinySpecs.flipflop()));
        Cli.Result r = Cli.run("run", spec.toString(), "--out", file.toString(), "--no-report");
        assertEquals(2, r.code(), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
        assertTrue(r.err().contains(file.toString()), r.err());
        assertEquals("x", Files.readString(file), "the file is left as it was");
    }

    @Test void planChecksItsOptionsBeforePrintingAnything(@TempDir Path dir) {
        Cli.Result r = Cli.run("plan", SPEC, "--backend", "cuda2");
        assertEquals(2, r.code());
        assertEquals("degen plan: option --backend must be java, mkl, cuda or auto, got 'cuda2'", r.err().strip());
        Cli.Result e = Cli.run("plan", SPEC, "--epochs-from", dir.resolve("absent").toString());
        assertEquals(2, e.code());
        assertTrue(e.err().startsWith("degen plan: "), "nothing printed before the error: " + e.err());
    }
}
