package dev.llmjudge.batch;

import dev.llmjudge.testsupport.OpenAiCompatibleServer;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

/** Collects the same checks as {@link BatchJudgingTest} in a JVM of its own: {@code <cache dir> <batch dir> <count>}. */
public final class CollectingMain {
    private CollectingMain() {
    }

    public static void main(String[] args) {
        try (OpenAiCompatibleServer unused = OpenAiCompatibleServer.start()) {
            List<String> answers = IntStream.rangeClosed(1, Integer.parseInt(args[2]))
                    .mapToObj(i -> "Paris is the capital of France (" + i + ").").toList();
            new BatchRuns(Path.of(args[0]), Path.of(args[1])).collect(unused, answers);
        }
        System.exit(0);
    }
}
