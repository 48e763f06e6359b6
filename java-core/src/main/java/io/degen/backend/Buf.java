package io.degen.backend;

/**
 * A block of numbers owned by one {@link Backend}: on the heap, off-heap or on a device.
 * Trainer and metrics only pass these handles back to the backend that made them, so they never
 * know where the numbers live (Neanderthal's engine-as-factory idea).
 */
public abstract class Buf implements AutoCloseable {
    private final DType dtype;
    private final int size;

    protected Buf(DType dtype, int size) {
        if (size < 0) throw new IllegalArgumentException("buffer size must be >= 0, got " + size);
        this.dtype = dtype;
        this.size = size;
    }

    public final DType dtype() { return dtype; }

    public final int size() { return size; }

    /** Releases native or device memory; heap buffers ignore it. */
    @Override
    public void close() { }
}
