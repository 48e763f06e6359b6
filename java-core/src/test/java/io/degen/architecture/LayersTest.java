package io.degen.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The shape of the code is the shape of the data flow (docs/architecture.md): a package imports only
 * packages below it, in this order, and no packages form a cycle.
 */
class LayersTest {
    /** Bottom to top. */
    static final List<String> LAYERS = List.of("io", "util", "statistics", "backend", "task", "config", "model", "train", "metrics",
            "degeneracy", "verdict", "plan", "store", "report", "pipeline", "bench", "cli");

    static JavaClasses classes;

    @BeforeAll static void importMain() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.degen");
    }

    @Test void eachPackageImportsOnlyPackagesBelowIt() {
        Architectures.LayeredArchitecture arch = Architectures.layeredArchitecture().consideringOnlyDependenciesInLayers().withOptionalLayers(true);
        for (String l : LAYERS) arch = arch.layer(l).definedBy("io.degen." + l + "..");
        for (int i = 0; i < LAYERS.size(); i++) {
            String[] above = LAYERS.subList(i + 1, LAYERS.size()).toArray(String[]::new);
            if (above.length == 0) continue;
            // Every layer except the top one may only be used by the layers above it.
            arch = arch.whereLayer(LAYERS.get(i)).mayOnlyBeAccessedByLayers(above);
        }
        arch.whereLayer("cli").mayNotBeAccessedByAnyLayer().check(classes);
    }

    @Test void noPackageCycles() {
        slices().matching("io.degen.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test void theTrainerModelAndMetricsKnowNothingOfPlansStoresOrTheCli() {
        noClasses().that().resideInAnyPackage("io.degen.train..", "io.degen.model..", "io.degen.metrics..", "io.degen.degeneracy..")
                .should().dependOnClassesThat().resideInAnyPackage("io.degen.plan..", "io.degen.store..", "io.degen.cli..", "io.degen.pipeline..")
                .check(classes);
    }

    @Test void onlyTheEngineFactoryCreatesTheJavaEngine() {
        noClasses().that().resideOutsideOfPackage("io.degen.backend")
                .should().callConstructor(io.degen.backend.JavaBackend.class)
                .because("engines are created once, at the edge, through Backends.create, and passed down")
                .check(classes);
    }
}
