package io.degen.pipeline;

import io.degen.io.NdArray;
import io.degen.io.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.*;

/** Reading PyTorch state dicts: which keys are the network, and what is refused with which reason. */
class TorchStateTest {
    static final int H = 4, I = 2, O = 3;

    static NdArray random(SplittableRandom r, int... shape) { return io.degen.testkit.TorchStates.random(r, 1.0, shape); }

    static Map<String, NdArray> state(String rnn, String readout, long seed) {
        return io.degen.testkit.TorchStates.state(rnn, readout, I, H, O, 1.0, seed);
    }

    static IllegalArgumentException refused(Map<String, NdArray> s, String rnn, String readout) {
        return assertThrows(IllegalArgumentException.class, () -> TorchState.of(s, "s.npz", rnn, readout));
    }

    @Test
    void aModelsStateDictIsReadUnderAnyModuleNames() {
        for (String[] names : new String[][] {{"rnn", "fc"}, {"rnn", "readout"}, {"model.rnn", "model.linear"}, {"", "out"}, {"net", "readout"}}) {
            Map<String, NdArray> s = state(names[0], names[1], 1);
            TorchState t = TorchState.of(s, "s.npz", null, null);
            String p = names[0].isEmpty() ? "" : names[0] + ".";
            assertEquals(names[0], t.rnn());
            assertEquals(names[1], t.readout());
            assertEquals(H, t.hidden());
            assertEquals(List.of(), t.ignored());
            assertArrayEquals(s.get(p + "weight_hh_l0").data(), t.weights().get("weight_hh_l0").data());
            assertArrayEquals(s.get(p + "weight_ih_l0").data(), t.weights().get("weight_ih_l0").data());
            assertArrayEquals(s.get(p + "bias_ih_l0").data(), t.weights().get("bias_ih_l0").data());
            assertArrayEquals(s.get(p + "bias_hh_l0").data(), t.weights().get("bias_hh_l0").data());
            assertArrayEquals(s.get(names[1] + ".weight").data(), t.weights().get("readout.weight").data());
            assertArrayEquals(s.get(names[1] + ".bias").data(), t.weights().get("readout.bias").data());
            assertArrayEquals(new int[] {O, H}, t.weights().get("readout.weight").shape());
        }
    }

    @Test
    void biasFalseModulesGetZeroBiases() {
        Map<String, NdArray> s = state("rnn", "fc", 2);
        s.remove("rnn.bias_ih_l0");
        s.remove("rnn.bias_hh_l0");
        s.remove("fc.bias");
        TorchState t = TorchState.of(s, "s.npz", null, null);
        assertArrayEquals(new double[H], t.weights().get("bias_ih_l0").data());
        assertArrayEquals(new double[H], t.weights().get("bias_hh_l0").data());
        assertArrayEquals(new double[O], t.weights().get("readout.bias").data());
        assertArrayEquals(new int[] {H}, t.weights().get("bias_hh_l0").shape());
        // only one of the two RNN biases is a damaged file, not bias=False
        s.put("rnn.bias_ih_l0", NdArray.f64(new double[H], H));
        assertTrue(refused(s, null, null).getMessage().contains("rnn.bias_ih_l0 but not rnn.bias_hh_l0"));
    }

    @Test
    void anAmbiguousReadoutIsNamedWithReadoutAndTheRestIsListedAsIgnored() {
        Map<String, NdArray> s = state("rnn", "fc", 3);
        s.put("encoder.weight", random(new SplittableRandom(9), H, H));
        s.put("encoder.bias", random(new SplittableRandom(9), H));
        String msg = refused(s, null, null).getMessage();
        assertTrue(msg.contains("2 2-D weights") && msg.contains("encoder, fc") && msg.contains("--readout NAME"), msg);
        TorchState t = TorchState.of(s, "s.npz", null, "fc");
        assertEquals("fc", t.readout());
        assertEquals(List.of("encoder.weight", "encoder.bias"), t.ignored());
        assertArrayEquals(s.get("fc.weight").data(), t.weights().get("readout.weight").data());
        assertTrue(refused(s, null, "head").getMessage().contains("has no head.weight (--readout head); 2-D weights in it: encoder, fc"));
    }

    @Test
    void severalRecurrentModulesAreChosenWithRnn() {
        Map<String, NdArray> s = state("rnn", "fc", 4);
        s.putAll(state("teacher", "teacher_fc", 5));
        String msg = refused(s, null, "fc").getMessage();
        assertTrue(msg.contains("2 recurrent modules (rnn, teacher)") && msg.contains("--rnn NAME"), msg);
        TorchState t = TorchState.of(s, "s.npz", "teacher", "teacher_fc");
        assertArrayEquals(s.get("teacher.weight_hh_l0").data(), t.weights().get("weight_hh_l0").data());
        assertTrue(refused(s, "student", "fc").getMessage().contains("nn.RNN modules in it: rnn, teacher"));
        // "rnn." with its dot is the same module
        assertEquals("rnn", TorchState.of(s, "s.npz", "rnn.", "fc").rnn());
    }

    @Test
    void aTwoLayerRnnIsRefusedNotCutToItsFirstLayer() {
        Map<String, NdArray> s = state("rnn", "fc", 6);
        SplittableRandom r = new SplittableRandom(7);
        s.put("rnn.weight_ih_l1", random(r, H, H));
        s.put("rnn.weight_hh_l1", random(r, H, H));
        s.put("rnn.bias_ih_l1", random(r, H));
        s.put("rnn.bias_hh_l1", random(r, H));
        String msg = refused(s, null, null).getMessage();
        assertTrue(msg.contains("2-layer nn.RNN") && msg.contains("one recurrent layer") && msg.contains("tanh nn.RNN")
                && msg.contains("nn.Linear read-out"), msg);
        Map<String, NdArray> bare = state("", "readout", 6);
        bare.put("weight_hh_l2", random(r, H, H));
        assertTrue(refused(bare, null, null).getMessage().contains("3-layer nn.RNN"));
    }

    @Test
    void aBidirectionalRnnIsRefused() {
        Map<String, NdArray> s = state("rnn", "fc", 8);
        s.put("rnn.weight_hh_l0_reverse", random(new SplittableRandom(1), H, H));
        assertTrue(refused(s, null, null).getMessage().contains("bidirectional nn.RNN (rnn.weight_hh_l0_reverse)"));
    }

    @Test
    void gruAndLstmStatesAreNamedAndPointedToTheDocs() {
        for (int gates : new int[] {3, 4}) {
            SplittableRandom r = new SplittableRandom(gates);
            Map<String, NdArray> s = new LinkedHashMap<>();
            s.put("rnn.weight_ih_l0", random(r, gates * H, I));
            s.put("rnn.weight_hh_l0", random(r, gates * H, H));
            s.put("rnn.bias_ih_l0", random(r, gates * H));
            s.put("rnn.bias_hh_l0", random(r, gates * H));
            s.put("fc.weight", random(r, O, H));
            String msg = refused(s, null, null).getMessage();
            assertTrue(msg.contains("not a vanilla nn.RNN + nn.Linear state; save it with numpy.savez as shown in docs/models.md"), msg);
            assertTrue(msg.contains(gates == 3 ? "nn.GRU" : "nn.LSTM") && msg.contains("[" + gates * H + ", " + H + "]"), msg);
            // a 2-layer GRU is told it is a GRU, not that it has two layers
            s.put("rnn.weight_hh_l1", random(r, gates * H, H));
            assertTrue(refused(s, null, null).getMessage().contains(gates == 3 ? "nn.GRU" : "nn.LSTM"));
        }
        Map<String, NdArray> proj = state("lstm", "fc", 1);
        proj.put("lstm.weight_hr_l0", random(new SplittableRandom(1), 2, H));
        assertTrue(refused(proj, null, null).getMessage().contains("lstm.weight_hr_l0 (an nn.LSTM's projection): not a vanilla"));
        Map<String, NdArray> cell = new LinkedHashMap<>();
        cell.put("cell.weight_hh", random(new SplittableRandom(1), H, H));
        cell.put("fc.weight", random(new SplittableRandom(1), O, H));
        assertTrue(refused(cell, null, null).getMessage().contains("holds no weight_hh_l0"));
    }

    @Test
    void readoutShapesMustFitTheRnn() {
        Map<String, NdArray> s = state("rnn", "fc", 10);
        s.put("fc.weight", random(new SplittableRandom(1), O, H + 1));
        assertTrue(refused(s, null, null).getMessage().contains("read-out fc.weight has shape [3, 5], but the nn.RNN has 4 hidden units"));
        s = state("rnn", "fc", 10);
        s.put("fc.bias", random(new SplittableRandom(1), O + 1));
        assertTrue(refused(s, null, null).getMessage().contains("fc.bias has shape [4], expected [3]"));
        s = state("rnn", "fc", 10);
        s.remove("fc.weight");
        s.remove("fc.bias");
        assertTrue(refused(s, null, null).getMessage().contains("holds no nn.Linear read-out"));
    }

    @Test
    void theWeightHashDependsOnTheNumbersOnly() {
        Map<String, NdArray> a = TorchState.of(state("rnn", "fc", 11), "a", null, null).weights();
        Map<String, NdArray> b = TorchState.of(state("", "readout", 11), "b", null, null).weights();
        Map<String, NdArray> c = TorchState.of(state("rnn", "fc", 12), "c", null, null).weights();
        Map<String, NdArray> reversed = new LinkedHashMap<>();
        List<String> keys = new java.util.ArrayList<>(a.keySet());
        java.util.Collections.reverse(keys);
        for (String k : keys) reversed.put(k, a.get(k));
        String h = TorchState.sha256(List.of(a));
        assertTrue(h.matches("[0-9a-f]{64}"), h);
        assertEquals(h, TorchState.sha256(List.of(b)), "same numbers under other module names");
        assertEquals(h, TorchState.sha256(List.of(reversed)), "key order does not matter");
        assertNotEquals(h, TorchState.sha256(List.of(c)));
        assertNotEquals(h, TorchState.sha256(List.of(a, c)), "initial weights count");
    }

    @Test
    void torchSaveFilesAreRefusedWithTheWayToExport(@TempDir Path dir) throws Exception {
        Path pt = dir.resolve("model.pt");
        // torch.save (PyTorch >= 1.6) writes a zip whose entries are pickles and raw storages
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(pt))) {
            for (String n : new String[] {"model/data.pkl", "model/data/0", "model/version"}) {
                z.putNextEntry(new ZipEntry(n));
                z.write(new byte[] {(byte) 0x80, 2, 'x'});
                z.closeEntry();
            }
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TorchState.read(pt, null, null));
        assertTrue(e.getMessage().startsWith(pt + ": a zip of pickles"), e.getMessage());
        assertTrue(e.getMessage().contains("not a vanilla nn.RNN + nn.Linear state; save it with numpy.savez as shown in docs/models.md"));
        Path legacy = dir.resolve("model.pth");
        Files.write(legacy, new byte[] {(byte) 0x80, 2, (byte) 0x8a, 10, 0, 0});
        e = assertThrows(IllegalArgumentException.class, () -> TorchState.read(legacy, null, null));
        assertTrue(e.getMessage().contains("a pickle (torch.save's format") && e.getMessage().contains("docs/models.md"), e.getMessage());
        // a broken .npz is still reported as one
        Path broken = dir.resolve("broken.npz");
        Files.write(broken, new byte[] {'P', 'K', 3, 4, 0});
        assertThrows(Npy.NpyFormatException.class, () -> TorchState.read(broken, null, null));
    }
}
