package dev.llmjudge.cache;

import dev.llmjudge.config.CacheMode;
import dev.llmjudge.judge.Judge;
import dev.llmjudge.judge.JudgeException;
import dev.llmjudge.judge.JudgeException.Reason;
import dev.llmjudge.judge.JudgeFingerprint;
import dev.llmjudge.judge.JudgeRequest;
import dev.llmjudge.judge.Verdict;
import dev.llmjudge.metric.Field;
import java.nio.file.Files;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A judge that answers from recorded verdicts and records new ones, by {@link CacheMode}.
 *
 * <ul>
 *   <li>{@code auto}: a recorded verdict is returned as is; otherwise the delegate judges and
 *       the verdict is recorded. A corrupt file is reported and replaced.</li>
 *   <li>{@code replay}: recorded verdicts only; a missing one errors with the path it expected
 *       and how to record it.</li>
 *   <li>{@code refresh}: always judge, then overwrite.</li>
 *   <li>{@code off}: always judge, record nothing.</li>
 * </ul>
 * Judge errors propagate and are never recorded. Concurrent requests for the same key are
 * judged once.
 *
 * <pre>{@code
 * Judge judge = new CachingJudge(new OpenAiJudge(settings), new VerdictStore(Path.of("src/test/llm-judge")), CacheMode.AUTO);
 * }</pre>
 */
public final class CachingJudge implements Judge {
    private static final System.Logger LOG = System.getLogger(CachingJudge.class.getName());

    private final Judge delegate;
    private final VerdictStore store;
    private final CacheMode mode;
    private final ConcurrentMap<String, CompletableFuture<Verdict>> inFlight = new ConcurrentHashMap<>();

    public CachingJudge(Judge delegate, VerdictStore store, CacheMode mode) {
        this.delegate = delegate;
        this.store = store;
        this.mode = mode;
    }

    public CacheMode mode() {
        return mode;
    }

    public VerdictStore store() {
        return store;
    }

    @Override
    public JudgeFingerprint fingerprint(JudgeRequest request) {
        return delegate.fingerprint(request);
    }

    /** The cache key of a request. */
    public String keyOf(JudgeRequest request) {
        return CacheKeys.key(request.metric(), delegate.fingerprint(request));
    }

    @Override
    public Verdict judge(JudgeRequest request) {
        String key = keyOf(request);
        switch (mode) {
            case OFF:
                return delegate.judge(request).withCacheEntry(key, null, false);
            case REPLAY:
                return store.read(request.metric(), key).orElseThrow(() -> notRecorded(request, key));
            case REFRESH:
                return judgeOnce(request, key);
            case AUTO:
            default:
                try {
                    var recorded = store.read(request.metric(), key);
                    if (recorded.isPresent()) {
                        return recorded.get();
                    }
                } catch (CorruptVerdictException e) {
                    LOG.log(System.Logger.Level.WARNING, e.getMessage() + " Judging it again.");
                }
                return judgeOnce(request, key);
        }
    }

    private Verdict judgeOnce(JudgeRequest request, String key) {
        CompletableFuture<Verdict> mine = new CompletableFuture<>();
        CompletableFuture<Verdict> running = inFlight.putIfAbsent(key, mine);
        if (running != null) {
            try {
                return running.join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                throw e;
            }
        }
        try {
            Verdict verdict = store.write(delegate.judge(request), request, key);
            mine.complete(verdict);
            return verdict;
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(key, mine);
        }
    }

    private JudgeException notRecorded(JudgeRequest request, String key) {
        if (!Files.isDirectory(store.dir())) {
            return new JudgeException(Reason.NOT_RECORDED, "no recorded verdict for metric '" + request.metric().name()
                    + "': llmjudge.cache.mode=replay reads only recorded verdicts, and the cache directory " + store.dir().toAbsolutePath()
                    + " (llmjudge.cache.dir) does not exist. Point llmjudge.cache.dir at the committed verdicts (run from the project"
                    + " directory, or give an absolute path), or record them by running once with a judge configured and"
                    + " llmjudge.cache.mode=auto.");
        }
        StringBuilder what = new StringBuilder();
        for (Field field : Field.values()) {
            if (request.metric().requires(field)) {
                String value = request.evaluationCase().get(field);
                what.append(what.length() == 0 ? "" : ", ").append(field.label()).append(" ").append(shorten(value));
            }
        }
        return new JudgeException(Reason.NOT_RECORDED, "no recorded verdict for metric '" + request.metric().name() + "' on the case ("
                + what + "): llmjudge.cache.mode=replay reads only recorded verdicts and expected " + store.fileFor(request.metric(), key)
                + ". Record it by running this test once with a judge configured (OPENAI_API_KEY) and llmjudge.cache.mode=auto,"
                + " then commit the new files under " + store.dir() + ".");
    }

    private static String shorten(String value) {
        String oneLine = value.strip().replaceAll("\\s+", " ");
        return "\"" + (oneLine.length() > 60 ? oneLine.substring(0, 60) + "..." : oneLine) + "\"";
    }
}
