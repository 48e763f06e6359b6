package io.degen.store;

import io.degen.config.Level;
import io.degen.config.MeasureOptions;
import io.degen.degeneracy.PairBlocks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class BlockFilesTest {
    @Test
    void blockFilesRoundTripAndAssembleOnlyWhenCompleteAndMatching(@TempDir Path dir) throws Exception {
        MeasureOptions o = MeasureOptions.defaults();
        List<String> ids = List.of("a", "b", "c", "d");
        double[][] full = new double[4][4];
        for (int i = 0; i < 4; i++) for (int j = i + 1; j < 4; j++) { full[i][j] = full[j][i] = 0.1 * i + 0.37 * j + 1e-13 * (i + j); }
        full[0][3] = full[3][0] = Double.NaN;
        assertNull(BlockFiles.assemble(dir, Level.WEIGHTS, ids, o, null));
        for (int b = 0; b < 3; b++) {
            List<int[]> pairs = PairBlocks.block(4, b, 3);
            double[] d = new double[pairs.size()];
            for (int q = 0; q < d.length; q++) d[q] = full[pairs.get(q)[0]][pairs.get(q)[1]];
            BlockFiles.write(dir, "c", Level.WEIGHTS, b, 3, ids, o, d);
            assertTrue(BlockFiles.valid(dir, Level.WEIGHTS, b, 3, ids, o));
            if (b < 2) assertNull(BlockFiles.assemble(dir, Level.WEIGHTS, ids, o, null), "incomplete");
        }
        double[][] got = BlockFiles.assemble(dir, Level.WEIGHTS, ids, o, null);
        assertNotNull(got);
        for (int i = 0; i < 4; i++) for (int j = 0; j < 4; j++) assertEquals(full[i][j], got[i][j], 0.0);
        assertNull(BlockFiles.assemble(dir, Level.DYNAMICS, ids, o, null), "other level");
        assertNull(BlockFiles.assemble(dir, Level.WEIGHTS, List.of("a", "b", "c", "e"), o, null), "other networks");
        assertNull(BlockFiles.assemble(dir, Level.WEIGHTS, ids, o.withDsa(3, 4), null), "other options");
        assertNotNull(BlockFiles.assemble(dir, Level.WEIGHTS, ids, o.withThreads(7), null), "threads do not matter");
        assertNull(BlockFiles.assemble(dir, Level.WEIGHTS, ids, o.withMetricsBackend("mkl"), null), "another metrics engine");
        // Files written before the engine was an option (all on java, keyed by the options' old rendering) still verify.
        BlockFiles.write(dir, "c", Level.WEIGHTS, 0, 1, ids, o, new double[] {full[0][1], full[0][2], full[0][3], full[1][2], full[1][3], full[2][3]});
        Path one = BlockFiles.file(dir, Level.WEIGHTS, 0, 1);
        Files.writeString(one, Files.readString(one).replace(
                BlockFiles.key(o).replace("\"", "\\\""), BlockFiles.legacyKey(o)));
        assertTrue(BlockFiles.valid(dir, Level.WEIGHTS, 0, 1, ids, o), Files.readString(one));
        assertNull(BlockFiles.legacyKey(o.withMetricsBackend("mkl")), "no file of another engine predates the option");
        assertTrue(BlockFiles.key(o.withMetricsBackend("mkl")).contains("\"metrics_backend\":\"mkl\""), BlockFiles.key(o));
        Files.delete(one);
        Files.writeString(BlockFiles.file(dir, Level.WEIGHTS, 1, 3), "{\"level\": \"weights\", ");
        assertFalse(BlockFiles.valid(dir, Level.WEIGHTS, 1, 3, ids, o));
        assertNull(BlockFiles.assemble(dir, Level.WEIGHTS, ids, o, null), "corrupt");
    }
}
