package dev.llmjudge.examples.supportbot;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * Says, once at the end of the run, how many tests {@link JudgeOrSkip} skipped and why: Maven's
 * console shows only a count of skipped tests. Registered in
 * {@code META-INF/services/org.junit.platform.launcher.LauncherSessionListener}.
 */
public final class SkippedWithoutJudgeSummary implements LauncherSessionListener {
    private final AtomicInteger skipped = new AtomicInteger();

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        session.getLauncher().registerTestExecutionListeners(new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                if (result.getStatus() == TestExecutionResult.Status.ABORTED
                        && result.getThrowable().map(t -> String.valueOf(t.getMessage()).startsWith(JudgeOrSkip.REASON)).orElse(false)) {
                    skipped.incrementAndGet();
                }
            }
        });
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        if (skipped.get() > 0) {
            System.out.println("support-bot-example: skipped " + skipped.get() + " LLM-judged test(s) that have no recorded verdict: "
                    + JudgeOrSkip.REASON);
        }
    }
}
