package io.degen.report;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

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

    /** Writes {@code dir/stem.png} (120 dpi) and/or {@code dir/stem.svg}, as {@code formats} asks. */
    public static void save(Chart<?, ?> chart, Path dir, String stem, List<String> formats) throws IOException {
        if (formats.contains("png")) {
            BitmapEncoder.saveBitmapWithDPI(chart, dir.resolve(stem + ".png").toString(), BitmapEncoder.BitmapFormat.PNG, 120);
        }
        if (formats.contains("svg")) {
            VectorGraphicsEncoder.saveVectorGraphic(chart, dir.resolve(stem + ".svg").toString(), VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        }
    }
}
