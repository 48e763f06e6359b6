package io.degen.backend;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** A name that is no engine is refused with the name and where it came from. */
class BackendNamesTest {
    @Test void unknownNamesAreQuotedWithTheirSource() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Backends.create("cuda2"));
        assertEquals("backend must be java, mkl, cuda or auto, got 'cuda2'", e.getMessage());
        assertEquals("$DEGEN_BACKEND must be java, mkl, cuda or auto, got 'bogus'", Backends.unknown(null, "bogus"));
        assertEquals("$DEGEN_BACKEND must be java, mkl, cuda or auto, got 'bogus'", Backends.unknown(" ", "bogus"));
        assertEquals("backend must be java, mkl, cuda or auto, got 'x'", Backends.unknown("x", "bogus"));
    }
}
