package io.degen.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.degen.io.NdArray;
import io.degen.io.Npy;
import io.degen.task.Task;
import io.degen.task.TaskRegistry;
import io.degen.task.TrialBatch;
import io.degen.testkit.Cli;
import io.degen.testutil.Fixtures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * PyTorch to degen and back on PyTorch's own numbers (the rnn-bptt fixture: nn.RNN(tanh) + nn.Linear,
 * float64): the state_dict() a model with modules {@code rnn} and {@code fc} exports (docs/models.md)
 * is imported, run on PyTorch's inputs, and gives PyTorch's hidden states and outputs; the stored
 * weights, renamed as the docs' loading snippet does, are that state dict again.
 */
class TorchRoundTripTest {
    static final String DIR = "rnn-bptt";
    static final int B = 5, T = 18, I = 3, O = 2, H = 12;

    /** A task replaying the fixture's trials (x, y), so generated trials are PyTorch's too. */
    static final class FixtureTrials implements Task {
        private final NdArray x = Fixtures.npy(DIR, "x"), y = Fixtures.npy(DIR, "y");

        @Override public String type() { return "torch-fixture"; }
        @Override public int inputSize() { return I; }
        @Override public int outputSize() { return O; }
        @Override public int trialLength() { return T; }
        @Override public double threshold() { return 1.0; }
        @Override public Map<String, Object> options() { return Map.of("type", type()); }
        @Override public TrialBatch oodBatch(int n, SplittableRandom rng) { return batch(n, rng); }

        /** Trial i is the fixture's trial i mod 5. */
        @Override public TrialBatch batch(int n, SplittableRandom rng) {
            TrialBatch b = TrialBatch.zeros(n, T, I, O);
            for (int i = 0; i < n; i++) {
                System.arraycopy(x.data(), (i % B) * T * I, b.input(), i * T * I, T * I);
                System.arraycopy(y.data(), (i % B) * T * O, b.target(), i * T * O, T * O);
            }
            java.util.Arrays.fill(b.mask(), 1.0);
            return b;
        }
    }

    @BeforeAll
    static void register() { TaskRegistry.register("torch-fixture", o -> new FixtureTrials()); }

    /** The fixture's parameters as Net(3, 12, 2).state_dict() of docs/models.md names them. */
    static Map<String, NdArray> stateDict() {
        Map<String, NdArray> m = new LinkedHashMap<>();
        m.put("rnn.weight_ih_l0", Fixtures.npy(DIR, "W_ih"));
        m.put("rnn.weight_hh_l0", Fixtures.npy(DIR, "W_hh"));
        m.put("rnn.bias_ih_l0", Fixtures.npy(DIR, "b_ih"));
        m.put("rnn.bias_hh_l0", Fixtures.npy(DIR, "b_hh"));
        m.put("fc.weight", Fixtures.npy(DIR, "W_out"));
        m.put("fc.bias", Fixtures.npy(DIR, "b_out"));
        return m;
    }

    /** The docs' loading snippet: readout.* becomes fc.*, every other name gets the rnn. prefix. */
    static String torchName(String degenName) {
        return degenName.startsWith("readout.") ? "fc." + degenName.substring("readout.".length()) : "rnn." + degenName;
    }

    static void close(NdArray actual, String fixture) {
        NdArray expected = Fixtures.npy(DIR, fixture);
        assertArrayEquals(expected.shape(), actual.shape(), fixture);
        // relative to max(|value|, 1e-3): a sum rounded in another order is off by an ulp of its terms,
        // which is 1e-12 of an output of 4e-5 (the fixture's smallest) but 1e-15 of the terms
        double err = Fixtures.maxRelError(actual.data(), expected.data(), 1e-3);
        assertTrue(err < 1e-12, fixture + ": max relative error " + err);
    }

    @Test
    void aPyTorchStateDictImportsAndRunsAsPyTorchDoes(@TempDir Path dir) throws Exception {
        Path state = dir.resolve("state.npz"), x = dir.resolve("x.npy"), net = dir.resolve("net");
        Npy.writeNpz(state, stateDict());
        Npy.write(x, Fixtures.npy(DIR, "x"));
        Cli.Result imp = Cli.run("import-torch", state.toString(), "--task", "torch-fixture", "--out", net.toString(), "--backend", "java");
        assertEquals(0, imp.code(), imp.err());
        assertEquals(H, imp.json().get("hidden").asInt());
        double loss = Fixtures.expected(DIR).get("loss").asDouble();
        // 256 scoring trials cycle through the 5 fixture trials (trial 0 once more than the others), so not exactly the fixture loss
        assertEquals(loss, imp.json().get("loss").asDouble(), 0.05 * loss);

        // on the user's own inputs: PyTorch's hidden states and outputs, and no targets
        Path run = dir.resolve("run.npz");
        Cli.Result sim = Cli.run("simulate", "--net", net.toString(), "--inputs", x.toString(), "--out", run.toString(), "--backend", "java");
        assertEquals(0, sim.code(), sim.err());
        JsonNode j = sim.json();
        assertTrue(j.get("loss").isNull(), "no targets, no loss: " + j);
        assertEquals(x.toString(), j.get("inputs").asText());
        Map<String, NdArray> out = Npy.readNpz(run);
        assertEquals(java.util.List.of("hidden", "output", "inputs"), new java.util.ArrayList<>(out.keySet()));
        close(out.get("hidden"), "hidden");
        close(out.get("output"), "output");
        assertArrayEquals(Fixtures.npy(DIR, "x").data(), out.get("inputs").data());
        assertEquals("f8", out.get("hidden").dtype());

        // on trials the task generates: the same numbers, with targets, mask and PyTorch's loss
        Path gen = dir.resolve("gen.npz");
        Cli.Result sim2 = Cli.run("simulate", "--net", net.toString(), "--trials", "5", "--seed", "0", "--out", gen.toString(), "--backend", "java");
        assertEquals(0, sim2.code(), sim2.err());
        assertEquals(loss, sim2.json().get("loss").asDouble(), 1e-12 * loss);
        Map<String, NdArray> g = Npy.readNpz(gen);
        close(g.get("hidden"), "hidden");
        close(g.get("output"), "output");
        assertArrayEquals(Fixtures.npy(DIR, "y").data(), g.get("targets").data());
        assertEquals(B * T * O, java.util.Arrays.stream(g.get("mask").data()).sum());

        // back to PyTorch: the stored weights under the loading snippet's names are the state dict, exactly
        Map<String, NdArray> stored = Npy.readNpz(net.resolve("weights.npz")), back = new LinkedHashMap<>();
        for (var e : stored.entrySet()) back.put(torchName(e.getKey()), e.getValue());
        Map<String, NdArray> original = stateDict();
        assertEquals(original.keySet(), back.keySet(), "load_state_dict(strict=True) needs exactly these keys");
        for (var e : original.entrySet()) {
            assertArrayEquals(e.getValue().shape(), back.get(e.getKey()).shape(), e.getKey());
            assertArrayEquals(e.getValue().data(), back.get(e.getKey()).data(), e.getKey());
        }
    }
}
