package io.degen.e2e;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Issue target: one 128-unit network (batch 64, T 100) trains within a 512 MB heap, on each CPU engine. */
@Tag("e2e")
@Tag("slow")
class SmallHeapTest {
    @Test
    void a128UnitNetworkTrainsWithXmx512m(@TempDir Path dir) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (String backend : List.of("java", "auto")) {
            Path out = dir.resolve(backend);
            List<String> cmd = List.of(java, "-Xmx512m", "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                    "io.degen.cli.Main", "train", "--task", "flipflop", "--channels", "3", "--hidden", "128", "--seeds", "0",
                    "--max-epochs", "1", "--steps-per-epoch", "8", "--out", out.toString(), "--workers", "1", "--backend", backend);
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(backend + ".log").toFile()).start();
            assertEquals(0, p.waitFor(), backend + ": " + Files.readString(dir.resolve(backend + ".log")));
            assertTrue(Files.readString(dir.resolve(backend + ".log")).contains("\"networks\":1"));
        }
    }
}
