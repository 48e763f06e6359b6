package io.degen.cli;

import io.degen.testkit.Cli;
import com.fasterxml.jackson.databind.JsonNode;
import io.degen.io.NdArray;
import io.degen.io.Npy;
import io.degen.util.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class CliTest {
    static Cli.Result run(String... args) { return Cli.run(args); }

    @Test
    void trainSimulateAndImportEndToEnd(@TempDir Path dir) throws Exception {
        Cli.Result r = run("train", "--task", "flipflop", "--channels", "2", "--hidden", "12", "--seeds", "0-1", "--out",
                dir.toString(), "--max-epochs", "2", "--steps-per-epoch", "4", "--batch", "8", "--time", "20", "--backend", "java");
        assertEquals(0, r.code(), r.err());
        JsonNode j = r.json();
        assertEquals("java", j.get("backend").asText());
        assertEquals(2, j.get("networks").asInt());
        assertEquals(2, j.get("not_converged").asInt());
        String id = j.get("runs").get(0).get("id").asText();
        Path runDir = dir.resolve("runs").resolve(id);
        assertTrue(Files.exists(runDir.resolve("weights.npz")));
        var w = Npy.readNpz(runDir.resolve("weights.npz"));
        assertEquals(java.util.Set.of("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0", "readout.weight", "readout.bias"), w.keySet());

        // The same seeds trained together in lockstep (--ensemble 2) store the same networks.
        Cli.Result ens = run("train", "--task", "flipflop", "--channels", "2", "--hidden", "12", "--seeds", "0-1", "--out",
                dir.resolve("ens").toString(), "--max-epochs", "2", "--steps-per-epoch", "4", "--batch", "8", "--time", "20",
                "--backend", "java", "--ensemble", "2", "--workers", "1");
        assertEquals(0, ens.code(), ens.err());
        assertEquals(id, ens.json().get("runs").get(0).get("id").asText());
        assertArrayEquals(w.get("weight_hh_l0").data(),
                Npy.readNpz(dir.resolve("ens").resolve("runs").resolve(id).resolve("weights.npz")).get("weight_hh_l0").data());

        // Running again trains nothing.
        Cli.Result again = run("train", "--task", "flipflop", "--channels", "2", "--hidden", "12", "--seeds", "0-1", "--out",
                dir.toString(), "--max-epochs", "2", "--steps-per-epoch", "4", "--batch", "8", "--time", "20", "--backend", "java");
        assertTrue(again.json().get("runs").get(0).get("skipped").asBoolean());

        Path traj = dir.resolve("traj.npy");
        Cli.Result s = run("simulate", "--net", runDir.toString(), "--ood", "--trials", "5", "--seed", "3", "--out", traj.toString());
        assertEquals(0, s.code(), s.err());
        NdArray t = Npy.read(traj);
        assertArrayEquals(new int[] {5, 40, 12}, t.shape());

        // import-torch of our own exported weights reproduces the same network and loss.
        Cli.Result imp = run("import-torch", runDir.resolve("weights.npz").toString(), "--task", "flipflop", "--channels", "2",
                "--time", "20", "--out", dir.resolve("imported").toString());
        assertEquals(0, imp.code(), imp.err());
        Cli.Result s2 = run("simulate", "--net", dir.resolve("imported").toString(), "--ood", "--trials", "5", "--seed", "3",
                "--out", dir.resolve("traj2.npy").toString());
        assertEquals(0, s2.code(), s2.err());
        assertArrayEquals(t.data(), Npy.read(dir.resolve("traj2.npy")).data());
    }

    @Test
    void nanInAUsersNpyIsRefusedByEveryMetricWithTheFileNamed(@TempDir Path dir) throws Exception {
        java.util.SplittableRandom r = new java.util.SplittableRandom(1);
        double[] w = new double[36], x = new double[4 * 20 * 5];
        for (int i = 0; i < w.length; i++) w[i] = r.nextDouble();
        for (int i = 0; i < x.length; i++) x[i] = r.nextDouble();
        Npy.write(dir.resolve("w.npy"), NdArray.f64(w.clone(), 6, 6));
        Npy.write(dir.resolve("x.npy"), NdArray.f64(x.clone(), 4, 20, 5));
        w[7] = Double.NaN;
        x[11] = Double.NaN;
        Npy.write(dir.resolve("w-nan.npy"), NdArray.f64(w, 6, 6));
        Npy.write(dir.resolve("x-nan.npy"), NdArray.f64(x, 4, 20, 5));
        String[][] cases = {
                {"metric", "pif", dir.resolve("w.npy").toString(), dir.resolve("w-nan.npy").toString()},
                {"metric", "dsa", dir.resolve("x-nan.npy").toString(), dir.resolve("x.npy").toString(), "--n-delays", "2", "--rank", "4"},
                {"metric", "havok", dir.resolve("x-nan.npy").toString(), "--n-delays", "2", "--rank", "4"},
                {"metric", "cka", dir.resolve("x.npy").toString(), dir.resolve("x-nan.npy").toString()}};
        for (String[] c : cases) {
            Cli.Result res = run(c);
            assertEquals(2, res.code(), String.join(" ", c) + " -> " + res.err());
            assertTrue(res.err().contains("nan.npy") && res.err().contains("NaN"), res.err());
        }
    }

    @Test
    void badInputExitsTwoWithAOneLineMessageNamingTheOption(@TempDir Path dir) {
        Map<String[], String> cases = Map.of(
                new String[] {"train", "--out", dir.toString(), "--channels", "-1"}, "--channels",
                new String[] {"train", "--out", dir.toString(), "--hidden", "many"}, "--hidden",
                new String[] {"train", "--out", dir.toString(), "--task", "juggling"}, "juggling",
                new String[] {"train", "--out", dir.toString(), "--colour", "red"}, "--colour",
                new String[] {"train", "--out", dir.toString(), "--ensemble", "0"}, "--ensemble",
                new String[] {"train", "--out", dir.toString(), "--seeds", "9-3"}, "--seeds",
                new String[] {"train", "--out", dir.toString(), "--gamma", "2"}, "--gamma",
                new String[] {"simulate", "--net", dir.resolve("nope").toString(), "--out", "x.npy"}, "nope",
                new String[] {"frobnicate"}, "frobnicate");
        for (var c : cases.entrySet()) {
            Cli.Result r = run(c.getKey());
            assertEquals(2, r.code(), String.join(" ", c.getKey()) + " -> " + r.err());
            assertTrue(r.err().contains(c.getValue()), r.err());
            assertEquals(1, r.err().strip().split("\n").length, "one line: " + r.err());
        }
    }
}
