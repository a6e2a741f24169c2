package dev.llmjudge.examples.supportbot;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

/** This suite uses llm-judge-junit the way any project should: through its public API, never its internal packages. */
class PublicApiOnlyTest {
    @Test
    void uses_no_internal_package_of_the_library() {
        noClasses().should().dependOnClassesThat().resideInAPackage("dev.llmjudge.internal..")
                .check(new ClassFileImporter().importPackages("dev.llmjudge.examples"));
    }
}
