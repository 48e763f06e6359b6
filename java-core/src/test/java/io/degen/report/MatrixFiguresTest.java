package io.degen.report;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Distance matrices are drawn as matrices are read: row 1 at the top, the diagonal left out. */
class MatrixFiguresTest {
    @Test void rowOneIsTheTopRowAndTheDiagonalIsLeftOut() {
        double[][] d = {{0, 0.1, 0.2}, {0.1, 0, 0.3}, {0.2, 0.3, 0}};
        List<Number[]> cells = MatrixFigures.cells(d);
        assertEquals(6, cells.size(), "no diagonal cells");
        for (Number[] c : cells) {
            int x = c[0].intValue(), y = c[1].intValue(), row = 2 - y;
            assertNotEquals(row, x, "diagonal");
            assertEquals(d[row][x], c[2].doubleValue(), 0, "cell (" + x + ", " + y + ")");
        }
        // d[0][1] = 0.1: row 1 (top, y = 2), column 2 (x = 1).
        assertTrue(cells.stream().anyMatch(c -> c[0].intValue() == 1 && c[1].intValue() == 2 && c[2].doubleValue() == 0.1));
    }
}
