package io.degen.architecture;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One vector species per element type in all of degen: the preferred one. A fixed width beside it
 * (SmallMat once used SPECIES_256 on AVX-512 machines, where the engines use 512 bits) makes the
 * Vector API's shared call sites polymorphic; C2 then boxes vectors, and the DSA pair alignments ran
 * 4x slower after a java-engine fit (46 vs 11 ms per pair) with 10x the garbage collections.
 */
class VectorSpeciesTest {
    private static final Pattern SPECIES = Pattern.compile("(Float|Double|Int|Long|Short|Byte)Vector\\.SPECIES_(\\w+)");

    @Test
    void everyKernelUsesThePreferredSpecies() throws Exception {
        Path main = Path.of("src/main/java");
        List<String> fixed = new ArrayList<>();
        int preferred = 0;
        try (Stream<Path> files = Files.walk(main)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                Matcher m = SPECIES.matcher(Files.readString(f));
                while (m.find()) {
                    if (m.group(2).equals("PREFERRED")) preferred++;
                    else fixed.add(main.relativize(f) + ": " + m.group());
                }
            }
        }
        assertTrue(preferred >= 5, "the kernels were not found under " + main.toAbsolutePath());
        assertEquals(List.of(), fixed);
    }
}
