package io.degen.report;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

import io.degen.io.AtomicFiles;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** What every figure of the project shares: the colours and how a chart is written to disk. */
public final class Charts {
    /** Matplotlib's default colour cycle (tab10). */
    public static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
            new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf)};

    private Charts() { }

    public static Color colour(int i) { return PALETTE[i % PALETTE.length]; }

    /**
     * Tick labels with one number of decimals for the whole axis, chosen from the span of the values
     * (never ".08" beside "0.1", never 15 digits); scientific below 1e-3 and from 1e5.
     */
    public static java.util.function.Function<Double, String> ticks(double min, double max) {
        double big = Math.max(Math.abs(min), Math.abs(max)), span = Math.abs(max - min);
        if (big > 0 && (big < 1e-3 || big >= 1e5)) return v -> String.format(java.util.Locale.ROOT, "%.1e", v);
        double step = (span > 0 ? span : Math.max(big, 1)) / 6;
        int decimals = (int) Math.max(0, Math.min(6, Math.ceil(-Math.log10(step))));
        String f = "%." + decimals + "f";
        return v -> String.format(java.util.Locale.ROOT, f, v);
    }

    /** A condition's swept values as people write them: {@code task.channels = 2, nuclear = 0.001}. */
    public static String label(java.util.Map<String, Object> values) {
        StringBuilder b = new StringBuilder();
        for (var e : values.entrySet()) {
            if (b.length() > 0) b.append(", ");
            b.append(e.getKey()).append(" = ").append(e.getValue());
        }
        return b.toString();
    }

    /**
     * Writes {@code dir/stem.png} (120 dpi) and/or {@code dir/stem.svg}, as {@code formats} asks; each
     * under a temporary name first and renamed into place, so a kill never leaves a truncated figure.
     */
    public static void save(Chart<?, ?> chart, Path dir, String stem, List<String> formats) throws IOException {
        String tmp = "." + stem + "." + ProcessHandle.current().pid() + "-" + System.nanoTime() + ".tmp";
        if (formats.contains("png")) {
            Path t = dir.resolve(tmp + ".png");
            BitmapEncoder.saveBitmapWithDPI(chart, t.toString(), BitmapEncoder.BitmapFormat.PNG, 120);
            AtomicFiles.publish(t, dir.resolve(stem + ".png"));
        }
        if (formats.contains("svg")) {
            Path t = dir.resolve(tmp + ".svg");
            VectorGraphicsEncoder.saveVectorGraphic(chart, t.toString(), VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
            AtomicFiles.publish(t, dir.resolve(stem + ".svg"));
        }
    }
}
