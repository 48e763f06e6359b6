package io.degen.cli;

import io.degen.io.NdArray;
import io.degen.io.Npy;
import io.degen.testkit.Cli;
import io.degen.testutil.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The Python snippets of docs/models.md as users run them: exported from PyTorch, imported,
 * simulated, loaded back with load_state_dict(strict=True), and the same numbers on both sides.
 * Needs python3 with torch and numpy; skipped where they are missing (PyTorch is not installed by
 * the build). Without torch the snippets are still checked to parse.
 */
class TorchSnippetsTest {
    static final Path DOC = Path.of("..", "docs", "models.md");

    /** The docs' ```python block containing {@code marker}. */
    static String snippet(String marker) throws Exception {
        Matcher m = Pattern.compile("(?s)```python\\n(.*?)```").matcher(Files.readString(DOC));
        List<String> found = new ArrayList<>();
        while (m.find()) if (m.group(1).contains(marker)) found.add(m.group(1));
        assertEquals(1, found.size(), "one python block of " + DOC + " holds " + marker);
        return found.get(0);
    }

    record Run(int code, String output) { }

    static Run python(Path dir, String script) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder("python3", "-").directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            return new Run(-1, "no python3: " + e.getMessage());
        }
        p.getOutputStream().write(script.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(300, TimeUnit.SECONDS)) { p.destroyForcibly(); return new Run(-1, "timed out: " + out); }
        return new Run(p.exitValue(), out);
    }

    static boolean has(Path dir, String module) throws Exception { return python(dir, "import " + module + "\n").code() == 0; }

    @Test
    void theSnippetsParseAsPython(@TempDir Path dir) throws Exception {
        assumeTrue(python(dir, "pass\n").code() == 0, "python3 is not installed");
        for (String marker : new String[] {"np.savez", "load_state_dict"}) {
            Files.writeString(dir.resolve("snippet.py"), snippet(marker));
            Run r = python(dir, "import ast\nast.parse(open('snippet.py').read())\n");
            assertEquals(0, r.code(), marker + " snippet: " + r.output());
        }
    }

    @Test
    void theSnippetsRoundTripThroughPyTorch(@TempDir Path dir) throws Exception {
        assumeTrue(has(dir, "numpy") && has(dir, "torch"), "python3 with numpy and torch is not installed");
        String export = snippet("np.savez"), load = snippet("load_state_dict");
        // the docs' model, seeded so the second script rebuilds the same one; PyTorch's reference in float64
        Run first = python(dir, "import torch\ntorch.manual_seed(0)\n" + export + """
                x = np.random.default_rng(0).uniform(-1, 1, (4, 25, 3))
                np.save("x.npy", x)
                model.double()
                with torch.no_grad():
                    y, h = model(torch.from_numpy(x))
                np.savez("torch_run.npz", hidden=h.numpy(), output=y.numpy())
                """);
        assertEquals(0, first.code(), first.output());

        Path net = dir.resolve("nets").resolve("a"), run = dir.resolve("degen_run.npz");
        Files.createDirectories(net.getParent());
        Cli.Result imp = Cli.run("import-torch", dir.resolve("state.npz").toString(), "--task", "flipflop", "--channels", "3",
                "--out", net.toString(), "--backend", "java");
        assertEquals(0, imp.code(), imp.err());
        assertEquals("rnn", imp.json().get("rnn").asText());
        assertEquals("fc", imp.json().get("readout").asText());
        Cli.Result sim = Cli.run("simulate", "--net", net.toString(), "--inputs", dir.resolve("x.npy").toString(), "--out", run.toString(),
                "--backend", "java");
        assertEquals(0, sim.code(), sim.err());
        Map<String, NdArray> degen = Npy.readNpz(run), torch = Npy.readNpz(dir.resolve("torch_run.npz"));
        for (String a : new String[] {"hidden", "output"}) {
            double err = Fixtures.maxRelError(degen.get(a).data(), torch.get(a).data(), 1e-3);
            assertTrue(err < 1e-12, a + ": max relative error " + err);
        }

        // degen's weights.npz into PyTorch with the loading snippet: strict load, the same trajectories
        Run second = python(dir, "import torch\ntorch.manual_seed(0)\n" + export + load + """
                d = np.load("degen_run.npz")
                with torch.no_grad():
                    y, h = model(torch.from_numpy(d["inputs"]))
                err = max(np.abs(h.numpy() - d["hidden"]).max(), np.abs(y.numpy() - d["output"]).max())
                print("max abs error", err)
                assert err < 1e-12, err
                """);
        assertEquals(0, second.code(), second.output());
    }
}
