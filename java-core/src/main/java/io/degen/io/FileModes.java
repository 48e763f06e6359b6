package io.degen.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/**
 * The permissions a new file or directory gets under the process's umask. Temporary files made by
 * {@code Files.createTempFile} / {@code createTempDirectory} are 0600 / 0700 whatever the umask, so
 * every file degen publishes by rename is given these first: under umask 022 a lab's shared results
 * directory stays readable to the group (0644 files, 0755 directories).
 */
public final class FileModes {
    private static volatile Set<PosixFilePermission> fileMode;

    private FileModes() { }

    /** 0666 minus the umask, learnt once from a probe file; null where the filesystem has no POSIX permissions. */
    static Set<PosixFilePermission> file() {
        Set<PosixFilePermission> m = fileMode;
        if (m != null) return m;
        try {
            Path dir = Path.of(System.getProperty("java.io.tmpdir"));
            Path probe = dir.resolve(".degen-umask-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
            Files.createFile(probe);
            try {
                m = Files.getPosixFilePermissions(probe);
            } finally {
                Files.deleteIfExists(probe);
            }
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
        fileMode = m;
        return m;
    }

    /** A directory's mode: the file mode plus search (x) where reading is allowed. */
    static Set<PosixFilePermission> directory() {
        Set<PosixFilePermission> f = file();
        if (f == null) return null;
        Set<PosixFilePermission> d = EnumSet.noneOf(PosixFilePermission.class);
        d.addAll(f);
        if (f.contains(PosixFilePermission.OWNER_READ)) d.add(PosixFilePermission.OWNER_EXECUTE);
        if (f.contains(PosixFilePermission.GROUP_READ)) d.add(PosixFilePermission.GROUP_EXECUTE);
        if (f.contains(PosixFilePermission.OTHERS_READ)) d.add(PosixFilePermission.OTHERS_EXECUTE);
        return d;
    }

    /** Gives a temporary file the mode a new file would have. */
    public static void asNewFile(Path p) throws IOException {
        Set<PosixFilePermission> m = file();
        if (m != null) Files.setPosixFilePermissions(p, m);
    }

    /** Gives a temporary directory the mode a new directory would have. */
    public static void asNewDirectory(Path p) throws IOException {
        Set<PosixFilePermission> m = directory();
        if (m != null) Files.setPosixFilePermissions(p, m);
    }
}
