package io.degen.util;

import io.degen.io.NdArray;
import io.degen.io.Npy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/** A 2-D matrix read from a .npy file; a file that is not one is named by its role and path in the message. */
public final class MatrixFile {
    private MatrixFile() { }

    /** A missing file is the {@link java.nio.file.NoSuchFileException}; unreadable or not 2-D: IllegalArgumentException. */
    public static Mat read(Path p, String role) throws IOException {
        NdArray a;
        try {
            a = Npy.read(p);
        } catch (Npy.NpyFormatException e) {
            throw new IllegalArgumentException(role + ": " + e.getMessage(), e);
        }
        String what = role + " (" + p + ")";
        if (a.rank() != 2) throw new IllegalArgumentException(what + " must be a 2-D matrix, got shape " + Arrays.toString(a.shape()));
        return Mat.of(a, what);
    }
}
