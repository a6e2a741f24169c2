package dev.llmjudge.internal.cache;

import dev.llmjudge.internal.Secrets;
import dev.llmjudge.internal.Texts;
import dev.llmjudge.config.CacheMode;
import dev.llmjudge.judge.Judge;
import dev.llmjudge.judge.JudgeException;
import dev.llmjudge.judge.JudgeException.Reason;
import dev.llmjudge.judge.JudgeFingerprint;
import dev.llmjudge.judge.JudgeRequest;
import dev.llmjudge.judge.Verdict;
import dev.llmjudge.metric.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * A judge that answers from recorded verdicts and records new ones, as its {@link CacheMode}
 * says; judge errors are never recorded. A key is judged once however many ask for it at once:
 * in this JVM through {@code inFlight}, across runtimes and processes sharing the directory
 * through a {@link VerdictClaim}, whose second holder takes the verdict the first recorded.
 * In {@link CacheMode#REFRESH} a key is judged again once per run, however many runtimes of the run
 * check it ({@link RefreshedFiles}): a later check of a key refreshed takes the verdict recorded.
 * In {@link CacheMode#COLLECT} a verdict not recorded is written as a batch request
 * ({@link BatchCollector}) and its check errors {@link Reason#COLLECTED}, which aborts its test.
 */
public final class CachingJudge implements Judge {
    private static final System.Logger LOG = System.getLogger(CachingJudge.class.getName());

    /** Told what the cache does, e.g. to show progress; called on the thread that did it, so keep it quick. */
    public interface Listener {
        /** A verdict was answered from the store. */
        default void replayed() {
        }

        /** A request was handed to the delegate judge. */
        default void judgingStarted() {
        }

        /** The delegate judge returned a verdict ({@code succeeded}), told once the verdict is recorded, or failed. */
        default void judgingFinished(boolean succeeded) {
        }
    }

    private static final Listener SILENT = new Listener() {
    };

    private final Judge delegate;
    private final VerdictStore store;
    private final CacheMode mode;
    private final Listener listener;
    private final BatchCollector collector;
    private final CacheKeys keys = new CacheKeys();
    private final ConcurrentMap<String, CompletableFuture<Verdict>> inFlight = new ConcurrentHashMap<>();
    /** In refresh mode, the verdict files the run has judged again and recorded: a later check of one replays its new verdict. */
    private final RefreshedFiles refreshed;

    public CachingJudge(Judge delegate, VerdictStore store, CacheMode mode) {
        this(delegate, store, mode, SILENT);
    }

    /** {@code listener} may be {@code null}. */
    public CachingJudge(Judge delegate, VerdictStore store, CacheMode mode, Listener listener) {
        this(delegate, store, mode, listener, null, new RefreshedFiles());
    }

    /**
     * {@code listener} may be {@code null}; {@code collector} writes the requests of {@link CacheMode#COLLECT}, and may be
     * {@code null} in any other mode; {@code refreshed} is what the run has judged again in {@code refresh} mode, shared by
     * its runtimes.
     */
    public CachingJudge(Judge delegate, VerdictStore store, CacheMode mode, Listener listener, BatchCollector collector,
            RefreshedFiles refreshed) {
        if (mode == CacheMode.COLLECT && collector == null) {
            throw new IllegalArgumentException("llmjudge.cache.mode=collect needs a batch collector");
        }
        this.delegate = delegate;
        this.store = store;
        this.mode = mode;
        this.listener = listener == null ? SILENT : listener;
        this.collector = collector;
        this.refreshed = Objects.requireNonNull(refreshed, "refreshed");
    }

    @Override
    public JudgeFingerprint fingerprint(JudgeRequest request) {
        return delegate.fingerprint(request);
    }

    /**
     * Whether answering {@code request}, which {@code fingerprint} ({@link #fingerprint}) describes, would ask the delegate
     * judge, as far as a listing of the store can tell.
     */
    public boolean wouldJudge(JudgeRequest request, JudgeFingerprint fingerprint) {
        if (mode == CacheMode.REFRESH) {
            return !refreshed.contains(store.fileFor(request.metric(), keys.key(request.metric(), fingerprint)));
        }
        if (mode != CacheMode.AUTO && mode != CacheMode.COLLECT) {
            return mode != CacheMode.REPLAY;
        }
        return !store.isRecorded(request.metric(), keys.key(request.metric(), fingerprint))
                && !store.isRecorded(request.metric(), keys.formerKey(request.metric(), fingerprint));
    }

    @Override
    public Verdict judge(JudgeRequest request, JudgeFingerprint fingerprint) {
        return resolve(request, fingerprint, keys.key(request.metric(), fingerprint));
    }

    private Verdict resolve(JudgeRequest request, JudgeFingerprint fingerprint, String key) {
        switch (mode) {
            case OFF:
                return judgeNow(request, fingerprint, verdict -> verdict.withCacheEntry(key, null, false));
            case REPLAY:
                Verdict replayed = recorded(request, fingerprint, key).orElseThrow(() -> notRecorded(request, key));
                listener.replayed();
                return replayed;
            case REFRESH:
                return judgeOnce(request, fingerprint, key);
            case COLLECT:
            case AUTO:
            default:
                Optional<Verdict> recorded = unlessCorrupt(() -> recorded(request, fingerprint, key));
                if (recorded.isPresent()) {
                    listener.replayed();
                    return recorded.get();
                }
                if (mode == CacheMode.COLLECT) {
                    Optional<JudgeException> collected = collector.collect(request, fingerprint, key);
                    if (collected.isPresent()) {
                        throw collected.get();
                    }
                }
                return judgeOnce(request, fingerprint, key);
        }
    }

    /** The verdict recorded under the key, else under the key the request had in the former key format. */
    private Optional<Verdict> recorded(JudgeRequest request, JudgeFingerprint fingerprint, String key) {
        Optional<Verdict> recorded = store.read(request.metric(), key);
        return recorded.isPresent() ? recorded : store.read(request.metric(), keys.formerKey(request.metric(), fingerprint));
    }

    /** What {@code read} finds; a corrupt file is logged and taken as no verdict, to be judged again and replaced. */
    private static Optional<Verdict> unlessCorrupt(Supplier<Optional<Verdict>> read) {
        try {
            return read.get();
        } catch (CorruptVerdictException e) {
            LOG.log(System.Logger.Level.WARNING, e.getMessage() + " Judging it again.");
            return Optional.empty();
        }
    }

    /**
     * Has the delegate judge the request and {@code record} keep its verdict; the listener hears of the call once the verdict
     * is kept, so that progress never counts a verdict as judged while it is still to be recorded.
     */
    private Verdict judgeNow(JudgeRequest request, JudgeFingerprint fingerprint, UnaryOperator<Verdict> record) {
        listener.judgingStarted();
        boolean succeeded = false;
        try {
            Verdict verdict = delegate.judge(request, fingerprint);
            succeeded = true;
            return record.apply(verdict);
        } finally {
            listener.judgingFinished(succeeded);
        }
    }

    private Verdict judgeOnce(JudgeRequest request, JudgeFingerprint fingerprint, String key) {
        CompletableFuture<Verdict> mine = new CompletableFuture<>();
        CompletableFuture<Verdict> running = inFlight.putIfAbsent(key, mine);
        if (running != null) {
            // Another check is judging the same request: this one takes the verdict as recorded, or the error without what the
            // call spent, so that the call counts once.
            Verdict joined;
            try {
                joined = await(running, "the judge's verdict");
            } catch (JudgeException e) {
                throw e.forSharedCall();
            }
            listener.replayed();
            return joined.withCacheEntry(joined.cacheKey(), joined.cacheFile(), true);
        }
        try (VerdictClaim claim = store.claim(request.metric(), key)) {
            Optional<Verdict> recordedMeanwhile = recordedMeanwhile(request, key, claim);
            Verdict verdict = recordedMeanwhile.isPresent() ? recordedMeanwhile.get()
                    : judgeNow(request, fingerprint, judged -> record(judged, request, key));
            mine.complete(verdict);
            return verdict;
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(key, mine);
        }
    }

    /**
     * Records a verdict just judged under its key; in refresh mode, the key counts as refreshed from now on. A verdict that
     * cannot be written errors with what its call was billed, which the report counts.
     */
    private Verdict record(Verdict judged, JudgeRequest request, String key) {
        Verdict written;
        try {
            written = store.write(judged, request, key);
        } catch (JudgeException e) {
            throw e.withSpent(e.spent().plus(judged.usage()));
        }
        if (mode == CacheMode.REFRESH) {
            refreshed.add(store.fileFor(request.metric(), key));
        }
        return written;
    }

    /**
     * The verdict another holder of the claim recorded; in refresh mode, only one judged in this run: written while this one
     * waited, or recorded when the run refreshed the key earlier.
     */
    private Optional<Verdict> recordedMeanwhile(JudgeRequest request, String key, VerdictClaim claim) {
        boolean refresh = mode != CacheMode.AUTO && mode != CacheMode.COLLECT;
        Path file = store.fileFor(request.metric(), key);
        if (refresh && !refreshed.contains(file) && !claim.verdictWrittenWhileWaiting()) {
            return Optional.empty();
        }
        Optional<Verdict> recorded = unlessCorrupt(() -> store.read(request.metric(), key));
        recorded.ifPresent(v -> {
            if (refresh) {
                refreshed.add(file);
            }
            listener.replayed();
        });
        return recorded;
    }

    /** The verdict another thread judges, its failure rethrown here; interrupted, a {@link Reason#NETWORK} error. */
    public static Verdict await(CompletableFuture<Verdict> outcome, String waitingFor) {
        try {
            return outcome.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JudgeException(Reason.NETWORK, "interrupted while waiting for " + waitingFor, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private JudgeException notRecorded(JudgeRequest request, String key) {
        StringBuilder what = new StringBuilder();
        for (Field field : Field.values()) {
            if (request.metric().requires(field)) {
                String value = request.evaluationCase().get(field);
                // Redacted before it is shortened, so that a cut through a key leaves no part of it.
                what.append(what.length() == 0 ? "" : ", ").append(field.label()).append(" ")
                        .append(Texts.quoted(Secrets.redact(value), 60));
            }
        }
        String missing = "no recorded verdict for metric '" + request.metric().name() + "' on the case (" + what
                + "): llmjudge.cache.mode=replay reads only recorded verdicts and expected ";
        if (!Files.isDirectory(store.dir())) {
            return new JudgeException(Reason.NOT_RECORDED, missing + store.fileFor(request.metric(), key).toAbsolutePath()
                    + ", but the cache directory " + store.dir().toAbsolutePath() + " (llmjudge.cache.dir) does not exist. Point"
                    + " llmjudge.cache.dir at the committed verdicts (run from the project directory, or give an absolute path), or"
                    + " record them by running once with a judge configured and llmjudge.cache.mode=auto.");
        }
        return new JudgeException(Reason.NOT_RECORDED, missing + store.fileFor(request.metric(), key) + ". Record it by running this"
                + " test once with a judge configured (OPENAI_API_KEY) and llmjudge.cache.mode=auto, then commit the new files under "
                + store.dir() + ".");
    }
}
