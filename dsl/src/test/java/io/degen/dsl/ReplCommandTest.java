package io.degen.dsl;

import io.degen.testkit.Cli;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;

import static org.junit.jupiter.api.Assertions.*;

/** {@code degen repl} refuses a port it cannot listen on as bad input (exit 2, the option named), not as an internal error. */
class ReplCommandTest {
    static void refused(Cli.Result r, String... words) {
        assertEquals(2, r.code(), r.err());
        for (String w : words) assertTrue(r.err().contains(w), "expected '" + w + "' in: " + r.err());
        assertFalse(r.err().contains("internal error") || r.err().contains("BindException:"), r.err());
    }

    @Test void aTakenSocketPortExitsTwoNamingTheOption() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            refused(Cli.run("repl", "--socket", String.valueOf(port)), "degen repl: --socket " + port, "cannot listen on 127.0.0.1:" + port);
            refused(Cli.run("repl", "--prepl", String.valueOf(port)), "degen repl: --prepl " + port, "another process holds the port");
        }
    }

    @Test void theSameFreePortTwiceFailsOnTheSecondAndStopsTheFirst() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) { port = probe.getLocalPort(); }
        refused(Cli.run("repl", "--socket", String.valueOf(port), "--prepl", String.valueOf(port)), "--prepl " + port);
        // The socket REPL started first was stopped again: the port comes free (the JDK releases a
        // closed server socket once its accept thread has woken up, so allow it a moment).
        assertTrue(bindsWithin(port, 5000), "port " + port + " is still held");
    }

    private static boolean bindsWithin(int port, long millis) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        while (true) {
            try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return true;
            } catch (java.io.IOException e) {
                if (System.currentTimeMillis() > end) return false;
                Thread.sleep(50);
            }
        }
    }

    @Test void aPortOutOfRangeIsRefused() {
        refused(Cli.run("repl", "--socket", "70000"), "--socket");
    }
}
