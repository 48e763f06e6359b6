package io.degen.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The exclusive lock of a store directory, {@code DIR/.lock}: an OS file lock (released by the OS
 * when the holder dies, so a crash never leaves a stale lock) on a file holding the holder's pid.
 * A second holder, in another process or in this JVM, is refused with {@link LockedException}:
 * {@code another degen run holds DIR/.lock (pid N)}.
 */
public final class StoreLock implements AutoCloseable {
    public static final String FILE = StoreLayout.LOCK;
    /** Locks held by this JVM: a second channel on the same file must not be opened (closing it could drop the first lock). */
    private static final Map<Path, Long> HELD = new ConcurrentHashMap<>();

    /** The store is locked by someone else. */
    public static final class LockedException extends IllegalStateException {
        public LockedException(String msg) { super(msg); }
    }

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private StoreLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file; this.channel = channel; this.lock = lock;
    }

    public static StoreLock acquire(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(FILE).toAbsolutePath().normalize();
        long me = ProcessHandle.current().pid();
        // Never follow a link: `ln -s victim DIR/.lock` must not make degen write its pid into the victim.
        if (Files.isSymbolicLink(file)) {
            throw new LockedException(file + " is a symbolic link; degen does not follow it (remove it if no degen process uses this store)");
        }
        if (HELD.putIfAbsent(file, me) != null) throw refused(file, me);
        FileChannel ch = null;
        try {
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    java.nio.file.LinkOption.NOFOLLOW_LINKS);
            FileLock l;
            try {
                l = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                l = null;
            }
            if (l == null) {
                String pid = readPid(file);
                ch.close();
                HELD.remove(file);
                throw refused(file, pid);
            }
            ch.truncate(0);
            ch.write(ByteBuffer.wrap((me + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            ch.force(true);
            return new StoreLock(file, ch, l);
        } catch (IOException | RuntimeException e) {
            if (!(e instanceof LockedException)) {
                HELD.remove(file);
                if (ch != null) ch.close();
            }
            throw e;
        }
    }

    private static LockedException refused(Path file, Object pid) {
        return new LockedException("another degen run holds " + file + " (pid " + pid + ")");
    }

    private static String readPid(Path file) {
        try {
            String s = Files.readString(file, StandardCharsets.US_ASCII).trim();
            return s.isEmpty() ? "unknown" : s;
        } catch (IOException e) {
            return "unknown";
        }
    }

    public Path file() { return file; }

    @Override public void close() throws IOException {
        try {
            if (lock.isValid()) lock.release();
            channel.close();
        } finally {
            HELD.remove(file);
        }
    }

    /** Holds the lock of DIR until stdin closes (used by tests to hold a lock from another process). */
    public static void main(String[] args) throws IOException {
        try (StoreLock l = acquire(Path.of(args[0]))) {
            System.out.println("locked " + ProcessHandle.current().pid());
            System.out.flush();
            while (System.in.read() >= 0) { /* wait */ }
        }
    }
}
