package dev.llmjudge.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.displayName;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.llmjudge.junit.fixtures.Fixtures;
import dev.llmjudge.testsupport.OpenAiCompatibleServer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** A bad row of a {@code @JudgeDataset} file, through the Jupiter engine: it fails its own invocation, and the other rows run. */
class DatasetBadRowsTest {
    @TempDir
    Path cache;

    private OpenAiCompatibleServer server;

    @BeforeEach
    void startJudge() {
        server = FixtureRuns.markerJudge();
    }

    @AfterEach
    void stopJudge() {
        server.close();
    }

    private EngineExecutionResults run(Class<?> fixture) {
        return FixtureRuns.run(fixture, FixtureRuns.params(server, cache));
    }

    @Test
    void should_fail_only_the_invocation_of_a_broken_json_line_with_its_file_line_and_column() {
        EngineExecutionResults results = run(Fixtures.BadJsonLine.class);

        assertThatOnlyTheSecondOfThreeRowsFailed(results, "[2] line 2: bad JSON: Unexpected character ('\"' (code 34)): was…",
                "datasets/bad-json-line-2.jsonl:2:25: bad JSON: Unexpected character ('\"' (code 34)): was expecting a colon to separate"
                        + " field name and value");
    }

    @Test
    void should_fail_only_the_invocation_of_a_csv_row_with_a_missing_value() {
        EngineExecutionResults results = run(Fixtures.BadCsvRow.class);

        assertThatOnlyTheSecondOfThreeRowsFailed(results, "[2] line 3: the row has 3 values but the header has 4: \"predict…",
                "datasets/bad-csv-row.csv:3:38: the row has 3 values but the header has 4: \"prediction\" has no value");
    }

    /** Rows 1 and 3 ran and were judged, and the second invocation failed with exactly the row's error, the test method not called. */
    private void assertThatOnlyTheSecondOfThreeRowsFailed(EngineExecutionResults results, String badRowName, String error) {
        results.testEvents().assertStatistics(s -> s.started(3).succeeded(2).failed(1));
        results.testEvents().assertThatEvents()
                .haveExactly(1, event(test(), displayName("[1] What is the capital of France?"), finishedSuccessfully()))
                .haveExactly(1, event(test(), displayName(badRowName), finishedWithFailure(instanceOf(DatasetException.class), message(error))))
                .haveExactly(1, event(test(), displayName("[3] What is the capital of Spain?"), finishedSuccessfully()));
        results.containerEvents().assertStatistics(s -> s.failed(0));
        assertThat(server.requestCount()).as("judge requests: rows 1 and 3").isEqualTo(2);
    }

    @Test
    void should_end_at_a_broken_csv_quote_whose_invocation_says_the_rest_is_not_run() {
        EngineExecutionResults results = run(Fixtures.BrokenCsvQuote.class);

        results.testEvents().assertStatistics(s -> s.started(2).succeeded(1).failed(1));
        results.testEvents().assertThatEvents()
                .haveExactly(1, event(test(), displayName("[1] What is the capital of France?"), finishedSuccessfully()))
                .haveExactly(1, event(test(), displayName("[2] line 3: unexpected character after a closing quote: quote t…"),
                        finishedWithFailure(instanceOf(DatasetException.class), message("datasets/broken-quote.csv:3:40:"
                                + " unexpected character after a closing quote: quote the whole value and write a \" inside it as \"\"; nothing"
                                + " after it can be read, so line 4 is not run"))));
        results.containerEvents().assertStatistics(s -> s.failed(0));
        assertThat(server.requestCount()).as("judge requests: row 1").isEqualTo(1);
    }

    @Test
    void should_fail_the_whole_test_when_the_csv_header_lacks_a_required_column() {
        EngineExecutionResults results = run(Fixtures.CsvWithoutGroundTruthColumn.class);

        results.testEvents().assertStatistics(s -> s.started(0));
        results.containerEvents().assertThatEvents().haveExactly(1, finishedWithFailure(instanceOf(DatasetException.class),
                message("datasets/no-ground-truth-column.csv:1:1: the header has no \"ground_truth\" column; it has id, question, answer_key,"
                        + " prediction")));
        assertThat(server.requestCount()).isZero();
    }
}
