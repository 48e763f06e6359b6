package io.degen.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A sweep's measurements: one row per swept value, which is the first column. */
public record SweepTable(List<String> columns, List<double[]> rows) {

    /** The measurement at one swept value, in the order of the measured columns. */
    interface Point {
        double[] at(int value) throws Exception;
    }

    /**
     * Untimed runs at {@code value} for at least {@code seconds}: otherwise the JIT compiles the
     * kernels during the first timed point and bends the low end of the fitted exponent.
     */
    static void warmUp(Point point, int value, double seconds) throws Exception {
        if (seconds <= 0) return;
        long until = System.nanoTime() + (long) (seconds * 1e9);
        System.err.printf("bench sweep: warming up at %d for %.1f s%n", value, seconds);
        do point.at(value); while (System.nanoTime() < until);
    }

    /** Measures every value in turn. */
    static SweepTable measure(String x, List<String> measured, List<Integer> values, Point point) throws Exception {
        List<String> columns = new ArrayList<>(List.of(x));
        columns.addAll(measured);
        List<double[]> rows = new ArrayList<>();
        for (int v : values) {
            double[] m = point.at(v);
            if (m.length != measured.size()) throw new IllegalStateException("measured " + m.length + " values for " + measured.size() + " columns");
            double[] row = new double[m.length + 1];
            row[0] = v;
            System.arraycopy(m, 0, row, 1, m.length);
            rows.add(row);
            System.err.printf("bench sweep: %s%n", rowMap(columns, row));
        }
        return new SweepTable(List.copyOf(columns), List.copyOf(rows));
    }

    double[] column(String name) {
        int j = columns.indexOf(name);
        if (j < 0) throw new IllegalArgumentException("no column " + name + " in " + columns);
        double[] c = new double[rows.size()];
        for (int i = 0; i < c.length; i++) c[i] = rows.get(i)[j];
        return c;
    }

    String csv() {
        StringBuilder b = new StringBuilder(String.join(",", columns)).append('\n');
        for (double[] r : rows) {
            for (int j = 0; j < r.length; j++) b.append(j == 0 ? "" : ",").append(format(r[j]));
            b.append('\n');
        }
        return b.toString();
    }

    List<Map<String, Object>> maps() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (double[] r : rows) out.add(rowMap(columns, r));
        return out;
    }

    private static Map<String, Object> rowMap(List<String> columns, double[] row) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int j = 0; j < row.length; j++) m.put(columns.get(j), isCount(row[j]) ? (Object) (long) row[j] : row[j]);
        return m;
    }

    private static boolean isCount(double v) { return v == Math.rint(v) && Math.abs(v) < 1e15; }

    /** Counts print as integers; measurements with six significant digits. */
    private static String format(double v) {
        if (isCount(v)) return Long.toString((long) v);
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6g", v) : "";
    }
}
