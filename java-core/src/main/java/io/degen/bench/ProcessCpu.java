package io.degen.bench;

import java.lang.management.ManagementFactory;

/** CPU time of the whole JVM (all threads): on a shared machine wall time overstates a benchmark's cost. */
final class ProcessCpu {
    private ProcessCpu() { }

    /** Nanoseconds, or -1 where the platform does not report them. */
    static long nanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) return os.getProcessCpuTime();
        return -1;
    }
}
