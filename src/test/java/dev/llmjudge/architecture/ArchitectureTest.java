package dev.llmjudge.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.llmjudge.internal.RunWide;
import java.util.Queue;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.api.Test;

/**
 * The package boundaries README's Architecture section promises, checked on the library's main
 * classes: each outside dependency is confined to one place, the public API does not reach into
 * the implementation's higher layers, and no package depends on itself through others.
 */
class ArchitectureTest {
    private static final JavaClasses LIBRARY = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.llmjudge");

    @Test
    void only_the_openai_adapter_uses_the_openai_sdk() {
        noClasses().that().resideOutsideOfPackage("dev.llmjudge.internal.openai..")
                .should().dependOnClassesThat().resideInAPackage("com.openai..")
                .check(LIBRARY);
    }

    @Test
    void only_the_junit_integration_uses_junit() {
        noClasses().that().resideOutsideOfPackage("dev.llmjudge.junit..")
                .should().dependOnClassesThat().resideInAPackage("org.junit..")
                .check(LIBRARY);
    }

    @Test
    void only_the_embedding_judge_uses_the_embedding_model() {
        noClasses().that().resideOutsideOfPackage("dev.llmjudge.internal.embedding..")
                .should().dependOnClassesThat().resideInAPackage("dev.langchain4j..")
                .check(LIBRARY);
    }

    @Test
    void metrics_depend_on_nothing_of_the_library() {
        noClasses().that().resideInAPackage("dev.llmjudge.metric..")
                .should().dependOnClassesThat().resideOutsideOfPackages("dev.llmjudge.metric..", "java..")
                .check(LIBRARY);
    }

    @Test
    void conversations_depend_on_nothing_of_the_library() {
        noClasses().that().resideInAPackage("dev.llmjudge.conversation..")
                .should().dependOnClassesThat().resideOutsideOfPackages("dev.llmjudge.conversation..", "java..")
                .check(LIBRARY);
    }

    @Test
    void the_judge_values_and_the_configuration_do_not_reach_into_the_layers_above() {
        noClasses().that().resideInAnyPackage("dev.llmjudge.judge..", "dev.llmjudge.config..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.llmjudge.internal.openai..", "dev.llmjudge.internal.cache..",
                        "dev.llmjudge.internal.check..", "dev.llmjudge.internal.report..", "dev.llmjudge.internal.embedding..",
                        "dev.llmjudge.runtime..", "dev.llmjudge.assertj..", "dev.llmjudge.junit..", "dev.llmjudge.probe..")
                .check(LIBRARY);
    }

    @Test
    void the_embedding_metric_is_a_value_that_knows_nothing_of_the_judge_behind_it() {
        noClasses().that().resideInAPackage("dev.llmjudge.embedding..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.llmjudge.internal..", "dev.llmjudge.runtime..", "dev.llmjudge.assertj..",
                        "dev.llmjudge.junit..")
                .check(LIBRARY);
    }

    @Test
    void the_calibration_figures_rest_on_the_judge_values_and_metrics_alone() {
        noClasses().that().resideInAPackage("dev.llmjudge.calibration..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.llmjudge.internal..", "dev.llmjudge.runtime..",
                        "dev.llmjudge.assertj..", "dev.llmjudge.junit..", "dev.llmjudge.config..")
                .check(LIBRARY);
    }

    @Test
    void the_report_knows_neither_the_assertions_nor_the_runtime_nor_junit() {
        noClasses().that().resideInAPackage("dev.llmjudge.internal.report..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.llmjudge.assertj..", "dev.llmjudge.runtime..", "dev.llmjudge.junit..",
                        "dev.llmjudge.probe..")
                .check(LIBRARY);
    }

    @Test
    void the_bias_probes_judge_through_the_runtime_and_know_neither_the_checks_nor_the_report() {
        noClasses().that().resideInAPackage("dev.llmjudge.probe..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.llmjudge.assertj..", "dev.llmjudge.internal.check..",
                        "dev.llmjudge.internal.report..", "dev.llmjudge.internal.openai..", "dev.llmjudge.internal.cache..",
                        "dev.llmjudge.junit..")
                .check(LIBRARY);
    }

    @Test
    void nothing_but_the_junit_integration_depends_on_it() {
        noClasses().that().resideOutsideOfPackage("dev.llmjudge.junit..")
                .should().dependOnClassesThat().resideInAPackage("dev.llmjudge.junit..")
                .check(LIBRARY);
    }

    @Test
    void the_run_wide_state_is_the_only_mutable_static_state() {
        fields().that().areStatic().and().areDeclaredInClassesThat().doNotHaveFullyQualifiedName(RunWide.class.getName())
                .should().beFinal()
                .andShould().notHaveRawType(assignableTo(ThreadLocal.class))
                .andShould().notHaveRawType(assignableTo(ConcurrentMap.class))
                .andShould().notHaveRawType(assignableTo(CopyOnWriteArrayList.class))
                .andShould().notHaveRawType(assignableTo(Queue.class))
                .andShould().notHaveRawType(assignableTo(AtomicInteger.class))
                .andShould().notHaveRawType(assignableTo(AtomicLong.class))
                .andShould().notHaveRawType(assignableTo(Lock.class))
                .check(LIBRARY);
    }

    @Test
    void no_package_depends_on_itself_through_others() {
        slices().matching("dev.llmjudge.(**)").should().beFreeOfCycles().check(LIBRARY);
    }
}
