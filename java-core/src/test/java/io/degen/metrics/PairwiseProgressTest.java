package io.degen.metrics;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.junit.jupiter.api.Assertions.*;

/** Every finished pair is told once, with the matrix's name and total, on one thread or several. */
class PairwiseProgressTest {
    private static final Metric<Double> GAP = new Metric<>() {
        @Override public String name() { return "gap"; }
        @Override public double distance(Double a, Double b) { return Math.abs(a - b); }
    };

    @Test void progressCountsEveryPairOnceAndTheMatrixIsUnchanged() {
        List<Double> items = new ArrayList<>();
        for (int i = 0; i < 9; i++) items.add(i * 0.5);
        for (int threads : new int[] {1, 3}) {
            ConcurrentLinkedQueue<int[]> told = new ConcurrentLinkedQueue<>();
            double[][] d = Pairwise.matrix(items, GAP, threads, "gaps", (what, done, total) -> {
                assertEquals("gaps", what);
                told.add(new int[] {done, total});
            });
            assertEquals(37, told.size(), threads + " threads: the start (0) and every pair");
            Set<Integer> counts = new TreeSet<>();
            for (int[] t : told) { assertEquals(36, t[1]); counts.add(t[0]); }
            assertEquals(37, counts.size(), "each count from 0 to 36 once");
            assertEquals(0, (int) ((TreeSet<Integer>) counts).first());
            assertEquals(36, (int) ((TreeSet<Integer>) counts).last());
            assertArrayEquals(Pairwise.matrix(items, GAP, 1)[2], d[2], 0);
            assertEquals(2.0, d[1][5], 0);
        }
    }
}
