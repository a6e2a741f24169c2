package dev.llmjudge.junit;

import dev.llmjudge.config.LlmJudgeConfig;
import dev.llmjudge.junit.fixtures.OnlyThroughEngineTestKit;
import dev.llmjudge.testsupport.OpenAiCompatibleServer;
import dev.llmjudge.testsupport.OpenAiCompatibleServer.Reply;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.Condition;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.EngineTestKit;

/** Runs fixture classes through the Jupiter engine against a loopback judge that scores by the {@code [score=N]} marker. */
final class FixtureRuns {
    private static final Pattern MARKER = Pattern.compile("\\[score=(\\d)]");
    private static final Pattern SAMPLES_MARKER = Pattern.compile("\\[scores=([\\d,]+)]");

    private FixtureRuns() {
    }

    /**
     * Scores each answer by its marker (5 without one); {@code [scores=5,2,5]} gives sample scores: a request for
     * {@code n} choices gets the first {@code n}, one with seed {@code 42 + i} without {@code n} gets the one at {@code i}.
     */
    static final Function<OpenAiCompatibleServer.Received, Reply> BY_MARKER = request -> {
        Matcher samples = SAMPLES_MARKER.matcher(request.promptText());
        if (samples.find()) {
            int[] scores = Arrays.stream(samples.group(1).split(",")).mapToInt(Integer::parseInt).toArray();
            int n = request.json().path("n").asInt(0);
            return Reply.verdicts(n > 0 ? Arrays.copyOf(scores, n) : new int[] {scores[(int) request.json().path("seed").asLong() - 42]});
        }
        Matcher m = MARKER.matcher(request.promptText());
        int score = m.find() ? Integer.parseInt(m.group(1)) : 5;
        return Reply.verdict(score, "Scored " + score + " as the answer's marker asks.");
    };

    /** A loopback judge scoring each answer by its marker. */
    static OpenAiCompatibleServer markerJudge() {
        return OpenAiCompatibleServer.start().otherwise(BY_MARKER);
    }

    /** The parameters that point fixtures at the server and a cache directory. */
    static Map<String, String> params(OpenAiCompatibleServer server, Path cacheDir) {
        Map<String, String> params = new HashMap<>();
        params.put(OnlyThroughEngineTestKit.KEY, "true");
        params.put("llmjudge.judge.base-url", server.baseUrl());
        params.put("llmjudge.cache.dir", cacheDir.toString());
        return params;
    }

    /** {@link #params(OpenAiCompatibleServer, Path)}, with the report written to {@code reportDir} and the judge model {@code model}. */
    static Map<String, String> params(OpenAiCompatibleServer server, Path cacheDir, Path reportDir, String model) {
        Map<String, String> params = params(server, cacheDir);
        params.put(LlmJudgeConfig.REPORT_DIR, reportDir.toString());
        params.put(LlmJudgeConfig.JUDGE_MODEL, model);
        return params;
    }

    /** The container of exactly this class (not its nested classes or methods). */
    static Condition<Event> classContainer(Class<?> testClass) {
        return new Condition<>(e -> e.getTestDescriptor().isContainer()
                && e.getTestDescriptor().getUniqueId().getLastSegment().getValue().equals(testClass.getName()), "container of " + testClass.getName());
    }

    /** The report entries published by the tests whose display name starts with {@code testName}. */
    static List<Map<String, String>> entriesOf(EngineExecutionResults results, String testName) {
        return results.allEvents().reportingEntryPublished()
                .filter(e -> e.getTestDescriptor().getDisplayName().startsWith(testName))
                .map(e -> e.getRequiredPayload(ReportEntry.class).getKeyValuePairs())
                .toList();
    }

    static EngineExecutionResults run(Class<?> fixture, Map<String, String> params) {
        return run(List.of(fixture), params);
    }

    static EngineExecutionResults run(List<Class<?>> fixtures, Map<String, String> params) {
        Map<String, String> all = new HashMap<>(params);
        all.put(OnlyThroughEngineTestKit.KEY, "true");
        return EngineTestKit.engine("junit-jupiter")
                .selectors(fixtures.stream().map(DiscoverySelectors::selectClass).toArray(DiscoverySelector[]::new))
                .configurationParameters(all).execute();
    }
}
