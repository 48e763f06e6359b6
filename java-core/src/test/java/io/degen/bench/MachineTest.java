package io.degen.bench;

import jdk.incubator.vector.DoubleVector;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MachineTest {
    @Test
    void describesThisMachine() throws Exception {
        Machine m = Machine.current();
        assertEquals(Runtime.getRuntime().availableProcessors(), m.cores());
        assertEquals(DoubleVector.SPECIES_PREFERRED.vectorBitSize(), m.vectorBits());
        assertEquals(m.vectorBits() / 64, m.doubleLanes());
        assertEquals(m.vectorBits() / 32, m.floatLanes());
        assertFalse(m.cpu().isBlank());
        Path info = Path.of("/proc/cpuinfo");
        if (Files.isReadable(info)) {
            String model = Files.readAllLines(info).stream().filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(null);
            if (model != null) assertEquals(model, m.cpu());
        }
        // the JDK prefers 512-bit vectors only where the CPU has AVX-512
        if (m.vectorBits() == 512 && !m.simd().equals("unknown")) assertEquals("avx512f", m.simd());
        assertTrue(m.summary().contains(m.cpu()) && m.summary().contains(m.vectorBits() + "-bit"), m.summary());
        assertEquals(8, m.asMap().size());
    }
}
