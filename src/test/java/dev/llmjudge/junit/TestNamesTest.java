package dev.llmjudge.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.llmjudge.junit.fixtures.OnlyThroughEngineTestKit;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;

class TestNamesTest {

    /** Tests of every shape a case key names: a method, an invocation, a dynamic test, a nested class's method. */
    @ExtendWith(OnlyThroughEngineTestKit.class)
    static class Shapes {
        @Test
        void plain() {
        }

        // Named without its arguments, which JUnit 6 quotes and JUnit 5 does not.
        @ParameterizedTest(name = "[{index}] question {index}")
        @ValueSource(strings = {"refund policy", "shipping"})
        void asks(String question) {
        }

        @TestFactory
        Stream<DynamicTest> generated() {
            return Stream.of(DynamicTest.dynamicTest("first turn", () -> { }));
        }

        @Nested
        class Refunds {
            @Test
            void late() {
            }
        }
    }

    @Test
    void should_key_each_test_by_its_segments_with_an_invocation_named_without_its_position() {
        Map<String, String> keys = new TreeMap<>();
        TestExecutionListener recorder = new TestExecutionListener() {
            private TestPlan plan;

            @Override
            public void testPlanExecutionStarted(TestPlan testPlan) {
                plan = testPlan;
            }

            @Override
            public void executionStarted(TestIdentifier test) {
                if (test.isTest()) {
                    keys.put(test.getDisplayName(), TestNames.identity(plan, test).caseKey());
                }
            }
        };
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        LauncherFactory.create(LauncherConfig.builder().enableTestExecutionListenerAutoRegistration(false)
                .enableLauncherSessionListenerAutoRegistration(false).addTestExecutionListeners(recorder, summary).build())
                .execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(Shapes.class))
                        .configurationParameter(OnlyThroughEngineTestKit.KEY, "true").build());

        assertThat(summary.getSummary().getTestsSucceededCount()).isEqualTo(5);

        String shapes = "class:" + Shapes.class.getName();
        assertThat(keys).containsExactlyInAnyOrderEntriesOf(Map.of(
                "plain()", shapes + "/method:plain()",
                "[1] question 1", shapes + "/test-template:asks(java.lang.String)/test-template-invocation:question 1",
                "[2] question 2", shapes + "/test-template:asks(java.lang.String)/test-template-invocation:question 2",
                "first turn", shapes + "/test-factory:generated()/dynamic-test:first turn",
                "late()", shapes + "/nested-class:Refunds/method:late()"));
    }

    @Test
    void should_key_a_level_whose_id_does_not_start_the_innermost_one_by_its_own_id() {
        ArrayDeque<TestNames.Level> levels = new ArrayDeque<>(List.of(
                new TestNames.Level("[engine:other]/[suite:Nightly]", "Nightly"),
                new TestNames.Level("[engine:junit-jupiter]/[class:com.example.SupportBotTest]", "SupportBotTest"),
                new TestNames.Level("[engine:junit-jupiter]/[class:com.example.SupportBotTest]/[method:refunds()]", "refunds()")));

        assertThat(TestNames.caseKey(levels)).isEqualTo("suite:Nightly/class:com.example.SupportBotTest/method:refunds()");
    }

    @Test
    void should_key_segments_whose_values_hold_the_separator_characters() {
        ArrayDeque<TestNames.Level> levels = new ArrayDeque<>(List.of(
                new TestNames.Level("[engine:junit-jupiter]/[class:com.example.A%5D%2F%5BB]", "A]/[B"),
                new TestNames.Level("[engine:junit-jupiter]/[class:com.example.A%5D%2F%5BB]/[method:x()]", "x()")));

        assertThat(TestNames.caseKey(levels)).isEqualTo("class:com.example.A]/[B/method:x()");
    }
}
