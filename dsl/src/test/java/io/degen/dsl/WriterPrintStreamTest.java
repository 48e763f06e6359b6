package io.degen.dsl;

import org.junit.jupiter.api.Test;

import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.*;

class WriterPrintStreamTest {
    @Test void printedTextReachesTheWriterAtOnce() {
        StringWriter w = new StringWriter();
        PrintStream ps = WriterPrintStream.of(w);
        ps.printf("[%d/%d] %s%n", 1, 6, "condition ü");
        assertEquals("[1/6] condition ü" + System.lineSeparator(), w.toString());
        ps.print("no newline yet");
        assertTrue(w.toString().endsWith("no newline yet"), "a partial line is not held back: " + w);
    }

    @Test void aCharacterSplitAcrossWritesWaitsForItsLastByte() throws Exception {
        StringWriter w = new StringWriter();
        PrintStream ps = WriterPrintStream.of(w);
        byte[] b = "a€😀".getBytes(StandardCharsets.UTF_8); // 1 + 3 + 4 bytes
        ps.write(b, 0, 2);   // "a" and the first byte of the euro sign
        assertEquals("a", w.toString());
        ps.write(b, 2, 3);   // the euro sign's other two bytes, the emoji's first
        assertEquals("a€", w.toString());
        ps.write(b, 5, 3);
        assertEquals("a€😀", w.toString());
    }
}
