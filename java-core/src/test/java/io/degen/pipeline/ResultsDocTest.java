package io.degen.pipeline;

import io.degen.verdict.VerdictTable;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The verdict tables of docs/results.md are degen's output on the committed stores, not prose: each
 * block between {@code <!-- verdict: DIR... -->} and {@code <!-- /verdict -->} must equal
 * {@code degen verdict DIR...} run from the repository root, and each {@code <!-- sensitivity: DIR -->}
 * block {@code degen sensitivity DIR} with its default settings. On a mismatch the corrected document is
 * written to target/results.md.expected (copy it over docs/results.md after checking the change).
 */
class ResultsDocTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Pattern BLOCK = Pattern.compile("<!-- (verdict|sensitivity): ([^>]+?) -->\\n(.*?)<!-- /\\1 -->", Pattern.DOTALL);

    /** {@code degen sensitivity DIR} with its default settings, as the document shows it. */
    static String sensitivity(List<Path> dirs) throws Exception {
        assertEquals(1, dirs.size(), "a sensitivity table is of one store");
        try (io.degen.backend.Backend be = io.degen.backend.Backends.create("java")) {
            return Experiment.dsaSensitivity(dirs.get(0), List.of(3, 5, 8), List.of(10, 20, 30), 2, be,
                    new java.io.PrintStream(java.io.OutputStream.nullOutputStream())).markdown();
        }
    }

    @Test void everyVerdictTableInResultsMdIsTheCommandsOutput() throws Exception {
        String doc = Files.readString(ROOT.resolve("docs/results.md"));
        Matcher m = BLOCK.matcher(doc);
        StringBuilder fixed = new StringBuilder();
        List<String> stale = new ArrayList<>();
        int blocks = 0;
        while (m.find()) {
            blocks++;
            String kind = m.group(1), args = m.group(2).trim();
            List<Path> dirs = new ArrayList<>();
            for (String d : args.split("\\s+")) {
                assertTrue(Files.isRegularFile(ROOT.resolve(d).resolve("plan.json")), d + " named in docs/results.md is not a committed store");
                dirs.add(ROOT.resolve(d));
            }
            String expected = kind.equals("verdict") ? Experiment.verdict(dirs).markdown() : sensitivity(dirs);
            expected = expected.replace(ROOT + "/", "");
            if (!expected.strip().equals(m.group(3).strip())) stale.add(kind + " " + args);
            m.appendReplacement(fixed, Matcher.quoteReplacement("<!-- " + kind + ": " + args + " -->\n" + expected + "<!-- /" + kind + " -->"));
        }
        m.appendTail(fixed);
        assertTrue(blocks > 0, "docs/results.md holds no generated verdict table");
        if (!stale.isEmpty()) {
            Path out = Path.of("target", "results.md.expected");
            Files.createDirectories(out.getParent());
            Files.writeString(out, fixed.toString());
            fail("docs/results.md disagrees with degen verdict for: " + stale + "; the regenerated document is " + out.toAbsolutePath());
        }
    }
}
