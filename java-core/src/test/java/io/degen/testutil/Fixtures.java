package io.degen.testutil;

import com.fasterxml.jackson.databind.JsonNode;
import io.degen.io.NdArray;
import io.degen.io.Npy;
import io.degen.util.Json;

import java.io.InputStream;
import java.io.UncheckedIOException;

/** Loads the reference fixtures copied into test resources (see fixtures/README.md). */
public final class Fixtures {
    private Fixtures() { }

    public static NdArray npy(String dir, String name) {
        String p = "/fixtures/" + dir + "/" + name + ".npy";
        try (InputStream in = Fixtures.class.getResourceAsStream(p)) {
            if (in == null) throw new IllegalStateException("missing fixture " + p);
            return Npy.read(in, p);
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode expected(String dir) {
        String p = "/fixtures/" + dir + "/expected.json";
        try (InputStream in = Fixtures.class.getResourceAsStream(p)) {
            if (in == null) throw new IllegalStateException("missing fixture " + p);
            return Json.MAPPER.readTree(in);
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Largest |a - b| / max(|b|, floor) over the arrays. */
    public static double maxRelError(double[] a, double[] b, double floor) {
        if (a.length != b.length) throw new AssertionError("length " + a.length + " != " + b.length);
        double worst = 0;
        for (int i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(Math.abs(b[i]), floor));
        return worst;
    }
}
