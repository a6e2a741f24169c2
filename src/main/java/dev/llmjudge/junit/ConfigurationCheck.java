package dev.llmjudge.junit;

import dev.llmjudge.config.LlmJudgeConfig;
import org.junit.platform.launcher.LauncherDiscoveryListener;
import org.junit.platform.launcher.LauncherDiscoveryRequest;

/**
 * Fails the discovery on an unknown {@code llmjudge.*} key among the launcher's configuration parameters (Surefire's
 * {@code configurationParameters}, a Launcher's or an IDE's parameters), naming the nearest known key. An extension cannot
 * list those parameters, only look keys up, so a misspelt one would otherwise leave its setting, a gate say, silently unset.
 * Registered through {@code META-INF/services}.
 */
public class ConfigurationCheck implements LauncherDiscoveryListener {
    /** The instance {@code META-INF/services} creates. */
    public ConfigurationCheck() {
    }

    @Override
    public void launcherDiscoveryStarted(LauncherDiscoveryRequest request) {
        LlmJudgeConfig.checkKeys(request.getConfigurationParameters().keySet());
    }
}
