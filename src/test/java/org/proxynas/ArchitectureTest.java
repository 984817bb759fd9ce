package org.proxynas;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The pipeline layering of docs/ARCHITECTURE.md, checked: no cycles, nothing below cli imports cli. */
class ArchitectureTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.proxynas");

    @Test
    void packagesHaveNoCycles() {
        slices().matching("org.proxynas.(**)").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void onlyTheCliUsesTheCli() {
        noClasses().that().resideOutsideOfPackage("org.proxynas.cli..")
                .should().dependOnClassesThat().resideInAPackage("org.proxynas.cli..")
                .check(CLASSES);
    }

    @Test
    void earlierStagesDoNotDependOnLaterOnes() {
        String[] order = {"common", "data", "learn", "score", "select", "nas.space", "nas.search", "train", "inference", "zerocost",
            "experiment", "report", "cluster"};
        for (int i = 0; i < order.length; i++) {
            for (int j = i + 1; j < order.length; j++) {
                noClasses().that().resideInAPackage("org.proxynas." + order[i] + "..")
                        .should().dependOnClassesThat().resideInAPackage("org.proxynas." + order[j] + "..")
                        .allowEmptyShould(true)
                        .check(CLASSES);
            }
        }
    }

    /** Spark's jars are on the class path only for a cluster run: nothing else may need them. */
    @Test
    void onlyTheClusterPackageUsesSpark() {
        noClasses().that().resideOutsideOfPackage("org.proxynas.cluster..")
                .should().dependOnClassesThat().resideInAPackage("org.apache.spark..")
                .check(CLASSES);
    }

    /** Commands parse, build a config, call a job and print: the machinery below the jobs is not theirs. */
    @Test
    void theCliCallsJobsNotTheirMachinery() {
        noClasses().that().resideInAPackage("org.proxynas.cli..")
                .should().dependOnClassesThat().resideInAPackage("org.proxynas.learn..")
                .orShould().dependOnClassesThat().haveSimpleNameEndingWith("Checkpoint")
                .orShould().dependOnClassesThat().haveSimpleName("SearchModel")
                .orShould().dependOnClassesThat().haveSimpleName("DataLoader")
                .orShould().dependOnClassesThat().haveSimpleName("StageStore")
                .check(CLASSES);
    }
}
