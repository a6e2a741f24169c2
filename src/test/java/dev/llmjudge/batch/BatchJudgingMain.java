package dev.llmjudge.batch;

import dev.llmjudge.testsupport.TestRuntimes;
import java.util.List;
import java.util.Map;

/** The batch command in a JVM of its own, with the test key, for a test to kill it mid-poll. */
public final class BatchJudgingMain {
    private BatchJudgingMain() {
    }

    public static void main(String[] args) {
        System.exit(BatchJudging.run(List.of(args), Map.of(), System.out, System.err, TestRuntimes.API_KEY));
    }
}
