package io.degen.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.degen.io.NdArray;
import io.degen.io.Npy;
import io.degen.task.TaskRegistry;
import io.degen.task.TrialBatch;
import io.degen.testkit.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/** {@code degen simulate}: hidden states alone to .npy (as before), every array to .npz, and the user's own inputs. */
class SimulateTest {
    /** A stored 2-channel flip-flop network (imported: quicker than training one). */
    static Path network(Path dir) throws Exception {
        Path state = ImportTorchTest.save(dir, "state.npz", ImportTorchTest.state("rnn", "fc", 21));
        Cli.Result r = ImportTorchTest.importState(state, dir.resolve("net"));
        assertEquals(0, r.code(), r.err());
        return dir.resolve("net");
    }

    static Cli.Result simulate(Path net, String... more) {
        String[] base = {"simulate", "--net", net.toString(), "--backend", "java"};
        String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return Cli.run(all);
    }

    @Test
    void npzHoldsHiddenOutputInputsTargetsAndMaskOfTheTasksTrials(@TempDir Path dir) throws Exception {
        Path net = network(dir);
        Cli.Result npy = simulate(net, "--trials", "3", "--seed", "7", "--out", dir.resolve("traj.npy").toString());
        Cli.Result npz = simulate(net, "--trials", "3", "--seed", "7", "--out", dir.resolve("run.npz").toString());
        assertEquals(0, npy.code(), npy.err());
        assertEquals(0, npz.code(), npz.err());
        Cli.Result txt = simulate(net, "--trials", "3", "--out", dir.resolve("traj.txt").toString());
        assertEquals(2, txt.code());
        assertTrue(txt.err().contains("option --out must end in .npy (hidden states) or .npz"), txt.err());
        assertFalse(java.nio.file.Files.exists(dir.resolve("traj.txt")), "nothing written under a name that hides its format");
        JsonNode j = npz.json();
        assertEquals(List.of("hidden", "output", "inputs", "targets", "mask"), strings(j.get("arrays")));
        assertEquals(List.of("hidden"), strings(npy.json().get("arrays")));
        assertEquals(npy.json().get("loss").asDouble(), j.get("loss").asDouble());

        NdArray hidden32 = Npy.read(dir.resolve("traj.npy"));
        Map<String, NdArray> a = Npy.readNpz(dir.resolve("run.npz"));
        assertEquals("f4", hidden32.dtype(), "the .npy form is unchanged: float32 hidden states");
        assertArrayEquals(new int[] {3, 10, ImportTorchTest.H}, a.get("hidden").shape());
        assertArrayEquals(new int[] {3, 10, 2}, a.get("output").shape());
        for (int i = 0; i < hidden32.size(); i++) assertEquals((float) a.get("hidden").data()[i], hidden32.data()[i]);
        // the trials are the task's, from the seed
        TrialBatch tb = TaskRegistry.create(Map.of("type", "flipflop", "channels", 2, "time", 10)).batch(3, new SplittableRandom(7));
        assertArrayEquals(tb.input(), a.get("inputs").data());
        assertArrayEquals(tb.target(), a.get("targets").data());
        assertArrayEquals(tb.mask(), a.get("mask").data());
        // the output is the read-out of the hidden states
        Map<String, NdArray> w = Npy.readNpz(net.resolve("weights.npz"));
        double[] wo = w.get("readout.weight").data(), bo = w.get("readout.bias").data(), h = a.get("hidden").data();
        int units = ImportTorchTest.H;
        double y = bo[1];
        for (int k = 0; k < units; k++) y += wo[units + k] * h[(2 * 10 + 4) * units + k];
        assertEquals(y, a.get("output").data()[(2 * 10 + 4) * 2 + 1], 1e-12);
    }

    @Test
    void theUsersOwnInputsRunTheNetworkWithoutTargets(@TempDir Path dir) throws Exception {
        Path net = network(dir);
        // the task's own trials given as a file give the task's hidden states
        TrialBatch tb = TaskRegistry.create(Map.of("type", "flipflop", "channels", 2, "time", 10)).batch(2, new SplittableRandom(3));
        Path x = dir.resolve("x.npy");
        Npy.write(x, NdArray.f64(tb.input(), 2, 10, 2));
        Cli.Result given = simulate(net, "--inputs", x.toString(), "--out", dir.resolve("given.npz").toString());
        Cli.Result generated = simulate(net, "--trials", "2", "--seed", "3", "--out", dir.resolve("gen.npz").toString());
        assertEquals(0, given.code(), given.err());
        assertTrue(given.json().get("loss").isNull());
        Map<String, NdArray> a = Npy.readNpz(dir.resolve("given.npz")), b = Npy.readNpz(dir.resolve("gen.npz"));
        assertEquals(List.of("hidden", "output", "inputs"), List.copyOf(a.keySet()));
        assertArrayEquals(b.get("hidden").data(), a.get("hidden").data());
        assertArrayEquals(b.get("output").data(), a.get("output").data());
        // any length of trial: 25 steps
        Npy.write(x, NdArray.f64(new double[2 * 25 * 2], 2, 25, 2));
        assertEquals(0, simulate(net, "--inputs", x.toString(), "--out", dir.resolve("long.npz").toString()).code());
        assertArrayEquals(new int[] {2, 25, ImportTorchTest.H}, Npy.readNpz(dir.resolve("long.npz")).get("hidden").shape());
    }

    @Test
    void inputsOfTheWrongShapeOrWithTrialOptionsAreRefusedSayingWhatIsExpected(@TempDir Path dir) throws Exception {
        Path net = network(dir), out = dir.resolve("o.npz");
        Object[][] cases = {
                {NdArray.f64(new double[2 * 10 * 3], 2, 10, 3), new String[] {"has shape [2, 10, 3], expected (trials, time, 2)", "takes 2 input(s)"}},
                {NdArray.f64(new double[10 * 2], 10, 2), new String[] {"has shape [10, 2], expected (trials, time, 2)", "x[None]"}},
                {NdArray.f64(new double[0], 0, 10, 2), new String[] {"has shape [0, 10, 2]"}},
                {NdArray.f64(new double[] {0, Double.NaN, 0, 0}, 1, 2, 2), new String[] {"NaN", "flat index 1"}}};
        for (Object[] c : cases) {
            Path x = dir.resolve("x.npy");
            Npy.write(x, (NdArray) c[0]);
            Cli.Result r = simulate(net, "--inputs", x.toString(), "--out", out.toString());
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().contains(x.toString()), r.err());
            for (String part : (String[]) c[1]) assertTrue(r.err().contains(part), "'" + part + "' not in " + r.err());
            assertFalse(Files.exists(out));
        }
        for (String[] extra : new String[][] {{"--trials", "4"}, {"--seed", "1"}, {"--ood"}}) {
            String[] args = new String[extra.length + 4];
            args[0] = "--inputs";
            args[1] = dir.resolve("x.npy").toString();
            args[2] = "--out";
            args[3] = out.toString();
            System.arraycopy(extra, 0, args, 4, extra.length);
            Cli.Result r = simulate(net, args);
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().contains(extra[0] + " is for trials the task generates"), r.err());
        }
        Cli.Result missing = simulate(net, "--inputs", dir.resolve("none.npy").toString(), "--out", out.toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("none.npy"), missing.err());
    }

    static List<String> strings(JsonNode array) {
        List<String> s = new java.util.ArrayList<>();
        for (JsonNode n : array) s.add(n.asText());
        return s;
    }
}
