package io.degen.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class NpyTest {
    @Test
    void roundTripsFloat32Float64AndNpz(@TempDir Path dir) throws Exception {
        NdArray a = NdArray.f64(new double[] {1, -2.5, 3e-300, 4}, 2, 2);
        NdArray b = NdArray.f32(new double[] {0.5, 1.5, -7}, 3);
        Npy.write(dir.resolve("a.npy"), a);
        Npy.write(dir.resolve("b.npy"), b);
        NdArray a2 = Npy.read(dir.resolve("a.npy")), b2 = Npy.read(dir.resolve("b.npy"));
        assertArrayEquals(a.data(), a2.data());
        assertArrayEquals(new int[] {2, 2}, a2.shape());
        assertEquals("f4", b2.dtype());
        assertArrayEquals(new int[] {3}, b2.shape());
        Map<String, NdArray> m = new LinkedHashMap<>();
        m.put("weight_hh_l0", a);
        m.put("readout.bias", b);
        Npy.writeNpz(dir.resolve("w.npz"), m);
        var back = Npy.readNpz(dir.resolve("w.npz"));
        assertEquals(m.keySet(), back.keySet());
        assertArrayEquals(b.data(), back.get("readout.bias").data());
        // Header is 64-byte aligned as numpy writes it.
        byte[] bytes = Files.readAllBytes(dir.resolve("a.npy"));
        int headerLen = (bytes[8] & 0xff) | ((bytes[9] & 0xff) << 8);
        assertEquals(0, (10 + headerLen) % 64);
    }

    @Test
    void readsNumpyWrittenFixture() throws Exception {
        NdArray x = io.degen.testutil.Fixtures.npy("rnn-bptt", "x");
        assertArrayEquals(new int[] {5, 18, 3}, x.shape());
    }

    @Test
    void malformedFilesGiveClearErrors(@TempDir Path dir) throws Exception {
        Path p = dir.resolve("bad.npy");
        Files.write(p, new byte[] {1, 2, 3});
        var e = assertThrows(Npy.NpyFormatException.class, () -> Npy.read(p));
        assertTrue(e.getMessage().contains("not a .npy"), e.getMessage());
        byte[] good = Npy.toBytes(NdArray.f64(new double[] {1, 2, 3, 4}, 4));
        Files.write(p, java.util.Arrays.copyOf(good, good.length - 8));
        e = assertThrows(Npy.NpyFormatException.class, () -> Npy.read(p));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        Files.write(p, new String(good, java.nio.charset.StandardCharsets.ISO_8859_1).replace("<f8", "<c8").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        e = assertThrows(Npy.NpyFormatException.class, () -> Npy.read(p));
        assertTrue(e.getMessage().contains("dtype"), e.getMessage());
        Files.write(p, new byte[] {1, 2, 3});
        e = assertThrows(Npy.NpyFormatException.class, () -> Npy.readNpz(p));
    }
}
