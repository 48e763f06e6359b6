package io.degen.bench;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The machine a benchmark ran on, carried by every bench result: speed depends on the processor
 * (the same DSA matrix took 28 s on an AVX2 EPYC and 70 s on an AVX-512 Xeon before the vector
 * species were unified), so a number without its machine cannot be compared.
 *
 * @param cpu        the processor's model name ({@code /proc/cpuinfo}; the JVM's os.arch elsewhere)
 * @param cores      processors available to the JVM
 * @param vectorBits the width of the JDK's preferred vector species, the width degen's kernels use
 * @param simd       the widest x86 vector extension the CPU reports (avx512f, avx2, avx, sse4_2), or "unknown"
 */
public record Machine(String cpu, int cores, int vectorBits, int floatLanes, int doubleLanes, String simd, String jdk, String os) {
    private static final List<String> SIMD = List.of("avx512f", "avx2", "avx", "sse4_2");

    /** This machine. */
    public static Machine current() {
        String model = null, flags = "";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                int colon = line.indexOf(':');
                if (colon < 0) continue;
                String key = line.substring(0, colon).trim(), value = line.substring(colon + 1).trim();
                if (model == null && key.equals("model name")) model = value;
                if (flags.isEmpty() && key.equals("flags")) flags = " " + value + " ";
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: the JVM's architecture names the machine
        }
        String simd = "unknown";
        for (String s : SIMD) if (flags.contains(" " + s + " ")) { simd = s; break; }
        return new Machine(model != null ? model : System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors(),
                DoubleVector.SPECIES_PREFERRED.vectorBitSize(), FloatVector.SPECIES_PREFERRED.length(),
                DoubleVector.SPECIES_PREFERRED.length(), simd, System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    }

    /** As the {@code machine} field of a bench result. */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cpu", cpu);
        m.put("cores", cores);
        m.put("vector_bits", vectorBits);
        m.put("float_lanes", floatLanes);
        m.put("double_lanes", doubleLanes);
        m.put("simd", simd);
        m.put("jdk", jdk);
        m.put("os", os);
        return m;
    }

    /** One line for logs and tables: "AMD EPYC, 2 cores, avx512f, 512-bit vectors". */
    public String summary() { return cpu + ", " + cores + " cores, " + simd + ", " + vectorBits + "-bit vectors"; }
}
