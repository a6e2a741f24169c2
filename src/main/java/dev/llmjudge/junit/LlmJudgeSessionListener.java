package dev.llmjudge.junit;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Lets {@link LlmJudgeReportListener} write its report once per launcher session rather than per
 * test plan (Surefire runs a plan per test class); registered through {@code META-INF/services}.
 */
public class LlmJudgeSessionListener implements LauncherSessionListener {
    @Override
    public void launcherSessionOpened(LauncherSession session) {
        LlmJudgeReportListener.sessions().open.incrementAndGet();
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        LlmJudgeReportListener.sessionClosed();
    }
}
