package io.degen.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.degen.io.NdArray;
import io.degen.io.Npy;
import io.degen.store.RunArtifacts;
import io.degen.task.Task;
import io.degen.task.TaskRegistry;
import io.degen.task.TrialBatch;
import io.degen.testkit.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.*;

/** {@code degen import-torch} on the state dicts PyTorch users have: what is read, what is refused, and the ids it gives. */
class ImportTorchTest {
    static final int H = 4, CHANNELS = 2;

    static NdArray random(SplittableRandom r, int... shape) { return io.degen.testkit.TorchStates.random(r, 0.8, shape); }

    static Map<String, NdArray> state(String rnn, String readout, long seed) {
        return io.degen.testkit.TorchStates.state(rnn, readout, CHANNELS, H, CHANNELS, 0.8, seed);
    }

    static Path save(Path dir, String name, Map<String, NdArray> state) throws Exception {
        Path f = dir.resolve(name);
        Npy.writeNpz(f, state);
        return f;
    }

    /**
     * A task any network passes (threshold 10 on zero targets), so imported random networks count
     * as converged and enter the degeneracy levels.
     */
    static final class Lenient implements Task {
        @Override public String type() { return "lenient-import"; }
        @Override public int inputSize() { return CHANNELS; }
        @Override public int outputSize() { return CHANNELS; }
        @Override public int trialLength() { return 10; }
        @Override public double threshold() { return 10; }
        @Override public Map<String, Object> options() { return Map.of("type", type()); }
        @Override public TrialBatch batch(int n, SplittableRandom rng) { return trials(n, 10, rng); }
        @Override public TrialBatch oodBatch(int n, SplittableRandom rng) { return trials(n, 20, rng); }

        private static TrialBatch trials(int n, int t, SplittableRandom rng) {
            TrialBatch b = TrialBatch.zeros(n, t, CHANNELS, CHANNELS);
            for (int i = 0; i < b.input().length; i++) b.input()[i] = rng.nextDouble() - 0.5;
            java.util.Arrays.fill(b.mask(), 1.0);
            return b;
        }
    }

    static Cli.Result importState(Path state, Path out, String... more) {
        return importAs(new String[] {"--task", "flipflop", "--channels", String.valueOf(CHANNELS), "--time", "10"}, state, out, more);
    }

    static Cli.Result importAs(String[] task, Path state, Path out, String... more) {
        String[] base = {"import-torch", state.toString(), "--out", out.toString(), "--backend", "java"};
        base = java.util.stream.Stream.concat(java.util.Arrays.stream(base), java.util.Arrays.stream(task)).toArray(String[]::new);
        String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return Cli.run(all);
    }

    static void refusedWith(Cli.Result r, Path out, String... parts) {
        assertEquals(2, r.code(), r.err());
        for (String p : parts) assertTrue(r.err().contains(p), "'" + p + "' not in: " + r.err());
        assertEquals(1, r.err().strip().split("\n").length, "one line: " + r.err());
        assertFalse(r.err().contains("internal error") || r.err().contains("Exception"), r.err());
        assertFalse(Files.exists(out), "nothing stored");
    }

    @Test
    void aModelsStateDictWithRnnPrefixImportsWithItsWeightsUnderDegensNames(@TempDir Path dir) throws Exception {
        Map<String, NdArray> s = state("rnn", "fc", 1);
        Cli.Result r = importState(save(dir, "state.npz", s), dir.resolve("net"));
        assertEquals(0, r.code(), r.err());
        JsonNode j = r.json();
        assertEquals("rnn", j.get("rnn").asText());
        assertEquals("fc", j.get("readout").asText());
        assertEquals(H, j.get("hidden").asInt());
        assertEquals(0, j.get("ignored").size());
        Map<String, NdArray> w = Npy.readNpz(dir.resolve("net").resolve("weights.npz"));
        assertArrayEquals(s.get("rnn.weight_hh_l0").data(), w.get("weight_hh_l0").data());
        assertArrayEquals(s.get("fc.weight").data(), w.get("readout.weight").data());
        assertArrayEquals(s.get("fc.bias").data(), w.get("readout.bias").data());
        assertEquals(j.get("id").asText(), RunArtifacts.read(dir.resolve("net")).id());
    }

    @Test
    void biasFalseModulesImportWithZeroBiases(@TempDir Path dir) throws Exception {
        Map<String, NdArray> s = state("rnn", "out", 2);
        s.remove("rnn.bias_ih_l0");
        s.remove("rnn.bias_hh_l0");
        s.remove("out.bias");
        Cli.Result r = importState(save(dir, "state.npz", s), dir.resolve("net"));
        assertEquals(0, r.code(), r.err());
        Map<String, NdArray> w = Npy.readNpz(dir.resolve("net").resolve("weights.npz"));
        assertArrayEquals(new double[H], w.get("bias_ih_l0").data());
        assertArrayEquals(new double[H], w.get("bias_hh_l0").data());
        assertArrayEquals(new double[CHANNELS], w.get("readout.bias").data());
        assertArrayEquals(s.get("rnn.weight_ih_l0").data(), w.get("weight_ih_l0").data());
    }

    @Test
    void aTwoLayerRnnIsRefusedInsteadOfDroppingLayerTwo(@TempDir Path dir) throws Exception {
        Map<String, NdArray> s = state("", "readout", 3);
        SplittableRandom r = new SplittableRandom(4);
        s.put("weight_ih_l1", random(r, H, H));
        s.put("weight_hh_l1", random(r, H, H));
        s.put("bias_ih_l1", random(r, H));
        s.put("bias_hh_l1", random(r, H));
        Path f = save(dir, "two-layer.npz", s);
        refusedWith(importState(f, dir.resolve("net")), dir.resolve("net"), f.toString(), "2-layer nn.RNN",
                "degen models one recurrent layer", "tanh nn.RNN", "nn.Linear read-out");
    }

    @Test
    void gruStatesAndTorchSaveFilesAreToldHowToExport(@TempDir Path dir) throws Exception {
        SplittableRandom r = new SplittableRandom(5);
        Map<String, NdArray> gru = new LinkedHashMap<>();
        gru.put("rnn.weight_ih_l0", random(r, 3 * H, CHANNELS));
        gru.put("rnn.weight_hh_l0", random(r, 3 * H, H));
        gru.put("rnn.bias_ih_l0", random(r, 3 * H));
        gru.put("rnn.bias_hh_l0", random(r, 3 * H));
        gru.put("fc.weight", random(r, CHANNELS, H));
        String expected = "not a vanilla nn.RNN + nn.Linear state; save it with numpy.savez as shown in docs/models.md";
        refusedWith(importState(save(dir, "gru.npz", gru), dir.resolve("net")), dir.resolve("net"), "nn.GRU", expected);
        Path pt = dir.resolve("model.pt");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(pt))) {
            z.putNextEntry(new ZipEntry("model/data.pkl"));
            z.write(new byte[] {(byte) 0x80, 2, '}', '.'});
            z.closeEntry();
        }
        refusedWith(importState(pt, dir.resolve("net")), dir.resolve("net"), pt.toString(), "torch.save", expected);
    }

    @Test
    void theTaskIsRequiredAndMustFitTheNetwork(@TempDir Path dir) throws Exception {
        Path f = save(dir, "state.npz", state("rnn", "fc", 6));
        Path out = dir.resolve("net");
        refusedWith(Cli.run("import-torch", f.toString(), "--out", out.toString()), out, "missing required option --task",
                "delayed-discrimination", "flipflop", "lorenz96", "path-integration", "sine");
        refusedWith(Cli.run("import-torch", f.toString(), "--task", "juggling", "--out", out.toString()), out, "juggling", "flipflop");
        // 2 inputs and outputs: not a 3-channel flip-flop
        refusedWith(Cli.run("import-torch", f.toString(), "--task", "flipflop", "--channels", "3", "--out", out.toString()), out,
                "rnn.weight_ih_l0 takes 2 input(s)", "\"channels\":3", "--channels 2");
    }

    @Test
    void anAmbiguousReadoutIsRefusedUntilNamed(@TempDir Path dir) throws Exception {
        Map<String, NdArray> s = state("rnn", "fc", 7);
        s.put("aux_head.weight", random(new SplittableRandom(8), 1, H));
        Path f = save(dir, "state.npz", s);
        refusedWith(importState(f, dir.resolve("net")), dir.resolve("net"), "aux_head, fc", "--readout NAME");
        Cli.Result r = importState(f, dir.resolve("net"), "--readout", "fc");
        assertEquals(0, r.code(), r.err());
        assertEquals("aux_head.weight", r.json().get("ignored").get(0).asText());
        assertTrue(r.err().contains("left out: aux_head.weight"), r.err());
    }

    @Test
    void importedNetworksGetIdsOfTheirOwnWeightsThatRepeat(@TempDir Path dir) throws Exception {
        TaskRegistry.register("lenient-import", o -> new Lenient());
        Path runs = dir.resolve("runs");
        Files.createDirectories(runs);
        String[] ids = new String[3];
        for (int i = 0; i < 3; i++) {
            Cli.Result r = importAs(new String[] {"--task", "lenient-import"}, save(dir, "s" + i + ".npz", state("rnn", "fc", 10 + i)),
                    runs.resolve("net" + i));
            assertEquals(0, r.code(), r.err());
            ids[i] = r.json().get("id").asText();
            assertEquals(64, r.json().get("weights_sha256").asText().length());
        }
        assertEquals(3, Set.of(ids).size(), "three networks, three ids: " + String.join(",", ids));
        // the same file again (and the same weights saved under other names) gives the same id
        String[] lenient = {"--task", "lenient-import"};
        Cli.Result again = importAs(lenient, dir.resolve("s1.npz"), dir.resolve("again"));
        assertEquals(ids[1], again.json().get("id").asText());
        Map<String, NdArray> renamed = new LinkedHashMap<>();
        for (var e : state("rnn", "fc", 11).entrySet()) renamed.put(e.getKey().replace("rnn.", "").replace("fc.", "readout."), e.getValue());
        assertEquals(ids[1], importAs(lenient, save(dir, "bare.npz", renamed), dir.resolve("bare")).json().get("id").asText());
        // another seed (the scoring trials) is another run of the same network
        assertNotEquals(ids[1], importAs(lenient, dir.resolve("s1.npz"), dir.resolve("seed5"), "--seed", "5").json().get("id").asText());
        // an initial state is part of what was imported
        assertNotEquals(ids[1], importAs(lenient, dir.resolve("s1.npz"), dir.resolve("init"), "--init", dir.resolve("s2.npz").toString())
                .json().get("id").asText());

        // degeneracy over the three sees one condition of three distinct networks
        Cli.Result deg = Cli.run("degeneracy", runs.toString(), "--probe-trials", "4", "--dsa-delays", "2", "--dsa-rank", "3", "--backend", "java");
        assertEquals(0, deg.code(), deg.err());
        JsonNode conditions = deg.json().get("conditions");
        assertEquals(1, conditions.size(), "imported networks of one task and width form one condition");
        JsonNode cond = conditions.elements().next();
        assertEquals(3, cond.get("converged").asInt(), cond.toString());
        JsonNode listed = cond.get("ids");
        Set<String> seen = new HashSet<>();
        for (JsonNode n : listed) seen.add(n.asText());
        assertEquals(Set.of(ids), seen);
    }

    @Test
    void initialWeightsMustBeTheSameNetworkShape(@TempDir Path dir) throws Exception {
        Map<String, NdArray> wide = new LinkedHashMap<>();
        SplittableRandom r = new SplittableRandom(9);
        wide.put("rnn.weight_ih_l0", random(r, H + 1, CHANNELS));
        wide.put("rnn.weight_hh_l0", random(r, H + 1, H + 1));
        wide.put("fc.weight", random(r, CHANNELS, H + 1));
        Path init = save(dir, "init.npz", wide);
        refusedWith(importState(save(dir, "state.npz", state("rnn", "fc", 9)), dir.resolve("net"), "--init", init.toString()),
                dir.resolve("net"), init.toString(), "the initial network has 5 hidden units, the trained one 4");
    }
}
