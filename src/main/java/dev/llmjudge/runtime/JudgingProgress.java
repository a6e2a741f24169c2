package dev.llmjudge.runtime;

import dev.llmjudge.internal.cache.CachingJudge;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Progress of long judging, one line at most every interval, e.g.
 * {@code llm-judge: 57 judged, 12 cached, 131 remaining (6.1/s, ETA 21s)}: only once judging has
 * gone on for a whole interval, so a run that replays, or judges a few quickly, prints nothing. A
 * spell of judging ends when no call starts or ends for an interval (at least
 * {@value #MIN_SPELL_GAP_SECONDS} s), and the rate is the spell's; "remaining" counts the verdicts
 * judged ahead that are not done yet.
 */
final class JudgingProgress implements CachingJudge.Listener {
    static final long MIN_SPELL_GAP_SECONDS = 10;

    private final long intervalNanos;
    private final long spellGapNanos;
    private final Consumer<String> out;
    private final LongSupplier nanoTime;

    private final AtomicLong cached = new AtomicLong();
    private volatile boolean judging;
    // The rest is guarded by this.
    private long judged;
    private long failed;
    private long running;
    private long remaining;
    private long spellStart;
    private long spellJudged;
    private long lastActivity;
    private long lastLine;

    /** {@code interval} also is how long judging must go on before the first line; {@code nanoTime} is the clock. */
    JudgingProgress(Duration interval, Consumer<String> out, LongSupplier nanoTime) {
        if (interval.isZero() || interval.isNegative()) {
            throw new IllegalArgumentException("the progress interval must be positive");
        }
        this.intervalNanos = interval.toNanos();
        this.spellGapNanos = Math.max(intervalNanos, TimeUnit.SECONDS.toNanos(MIN_SPELL_GAP_SECONDS));
        this.out = out;
        this.nanoTime = nanoTime;
    }

    @Override
    public void replayed() {
        cached.incrementAndGet();
        if (judging) {
            synchronized (this) {
                long now = nanoTime.getAsLong();
                if (running == 0 && remaining == 0 && now - lastActivity > spellGapNanos) {
                    judging = false;
                } else {
                    maybePrint(now);
                }
            }
        }
    }

    @Override
    public synchronized void judgingStarted() {
        long now = nanoTime.getAsLong();
        if (!judging || now - lastActivity > spellGapNanos) {
            judging = true;
            spellStart = now;
            spellJudged = 0;
            lastLine = now;
        }
        running++;
        lastActivity = now;
        // Printed as a call starts, when the previous outcomes are all counted, done and no longer remaining.
        maybePrint(now);
    }

    @Override
    public synchronized void judgingFinished(boolean succeeded) {
        long now = nanoTime.getAsLong();
        running--;
        judged++;
        spellJudged++;
        if (!succeeded) {
            failed++;
        }
        lastActivity = now;
    }

    /** Verdicts about to be judged ahead: they count as remaining until {@link #prefetchDone()}. */
    synchronized void prefetchQueued(int count) {
        remaining += count;
    }

    synchronized void prefetchDone() {
        remaining--;
    }

    private void maybePrint(long now) {
        if (now - lastLine < intervalNanos) {
            return;
        }
        lastLine = now;
        out.accept(line(now));
    }

    /** The progress line as it stands. */
    synchronized String line(long now) {
        StringBuilder line = new StringBuilder("llm-judge: ").append(judged).append(" judged");
        if (failed > 0) {
            // Judge errors, not test failures: a green run may have had some, retried or skipped.
            line.append(" (").append(failed).append(failed == 1 ? " judge error)" : " judge errors)");
        }
        line.append(", ").append(cached.get()).append(" cached");
        double seconds = (now - spellStart) / 1e9;
        double rate = seconds > 0 ? spellJudged / seconds : 0;
        if (remaining > 0) {
            line.append(", ").append(remaining).append(" remaining");
        }
        line.append(" (").append(String.format(Locale.ROOT, "%.1f/s", rate));
        if (remaining > 0 && rate > 0) {
            line.append(", ETA ").append(duration(Math.round(remaining / rate)));
        }
        return line.append(')').toString();
    }

    private static String duration(long seconds) {
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, (seconds % 3600) / 60);
    }
}
