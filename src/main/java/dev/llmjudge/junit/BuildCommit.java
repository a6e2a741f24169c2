package dev.llmjudge.junit;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * What the build knows of where it runs, for the report's header: the commit it tests
 * ({@code GITHUB_SHA}, else {@code git rev-parse HEAD} when the working directory is in a git
 * checkout and git answers within {@link #GIT_TIMEOUT_SECONDS} seconds) and, on GitHub Actions,
 * the page of the CI run. Never fails: what cannot be told is empty.
 */
final class BuildCommit {
    static final long GIT_TIMEOUT_SECONDS = 2;
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{7,64}");
    private static final Pattern REPOSITORY = Pattern.compile("[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+");
    private static final Pattern RUN_ID = Pattern.compile("\\d{1,20}");

    private BuildCommit() {
    }

    /** The commit the build tests, if it can be told. */
    static Optional<String> of(Map<String, String> environment) {
        String sha = environment.get("GITHUB_SHA");
        if (sha != null && COMMIT.matcher(sha.strip().toLowerCase(Locale.ROOT)).matches()) {
            return Optional.of(sha.strip().toLowerCase(Locale.ROOT));
        }
        return insideGitCheckout() ? gitHead() : Optional.empty();
    }

    /**
     * The CI run's page, {@code $GITHUB_SERVER_URL/$GITHUB_REPOSITORY/actions/runs/$GITHUB_RUN_ID}, where the
     * report's artifact is listed; empty unless all three are set and well formed.
     */
    static Optional<String> ciRunPage(Map<String, String> environment) {
        String server = environment.get("GITHUB_SERVER_URL");
        String repository = environment.get("GITHUB_REPOSITORY");
        String runId = environment.get("GITHUB_RUN_ID");
        if (server == null || repository == null || runId == null || !REPOSITORY.matcher(repository).matches()
                || !RUN_ID.matcher(runId).matches()) {
            return Optional.empty();
        }
        try {
            URI base = new URI(server.strip());
            if (!("https".equals(base.getScheme()) || "http".equals(base.getScheme())) || base.getHost() == null || base.getRawQuery() != null
                    || base.getRawFragment() != null) {
                return Optional.empty();
            }
            String path = (base.getRawPath() == null ? "" : base.getRawPath().replaceAll("/+$", "")) + "/" + repository + "/actions/runs/" + runId;
            return Optional.of(new URI(base.getScheme(), base.getRawAuthority(), path, null, null).toString());
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    private static boolean insideGitCheckout() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve(".git"))) {
                return true;
            }
        }
        return false;
    }

    private static Optional<String> gitHead() {
        Process git;
        try {
            git = new ProcessBuilder("git", "rev-parse", "HEAD").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
        try (InputStream out = git.getInputStream()) {
            git.getOutputStream().close();
            if (!git.waitFor(GIT_TIMEOUT_SECONDS, TimeUnit.SECONDS) || git.exitValue() != 0) {
                return Optional.empty();
            }
            String head = new String(out.readNBytes(200), StandardCharsets.UTF_8).strip();
            return COMMIT.matcher(head).matches() ? Optional.of(head) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            git.destroyForcibly();
        }
    }
}
