package io.degen.dsl;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A {@link PrintStream} that writes into a {@link Writer}. The Java pipeline reports progress to a
 * PrintStream, while a Clojure REPL connection has its own {@code *err*} Writer: over this stream
 * progress reaches the client that asked for the work, not the server's console.
 */
public final class WriterPrintStream {
    private WriterPrintStream() { }

    /** A UTF-8 PrintStream that flushes every write through to {@code w}. */
    public static PrintStream of(Writer w) {
        return new PrintStream(new Decoding(w), true, StandardCharsets.UTF_8);
    }

    /** UTF-8 bytes back to text; a character split across writes waits for its remaining bytes. */
    static final class Decoding extends OutputStream {
        private final Writer w;
        private byte[] buf = new byte[256];
        private int n;

        Decoding(Writer w) { this.w = w; }

        @Override public synchronized void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override public synchronized void write(byte[] b, int off, int len) throws IOException {
            if (n + len > buf.length) buf = Arrays.copyOf(buf, Math.max(2 * buf.length, n + len));
            System.arraycopy(b, off, buf, n, len);
            n += len;
        }

        @Override public synchronized void flush() throws IOException {
            int end = completeLength(buf, n);
            if (end > 0) {
                w.write(new String(buf, 0, end, StandardCharsets.UTF_8));
                System.arraycopy(buf, end, buf, 0, n - end);
                n -= end;
            }
            w.flush();
        }

        @Override public void close() throws IOException { flush(); }
    }

    /** How many of the first {@code n} bytes form whole UTF-8 characters (malformed bytes count as whole). */
    static int completeLength(byte[] b, int n) {
        for (int i = n - 1; i >= Math.max(0, n - 4); i--) {
            int c = b[i] & 0xFF;
            if ((c & 0xC0) == 0x80) continue; // a continuation byte: its lead byte is further back
            int need = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 1;
            return i + need <= n ? n : i;
        }
        return n;
    }
}
