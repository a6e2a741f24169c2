package dev.llmjudge.internal.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Claims across two JVMs whose threads hold and wait for each other's claims, as judges sharing a cache do. */
class VerdictClaimTest {
    @TempDir
    Path dir;

    /**
     * This JVM holds claim X in one thread and waits for claim Y in another; the other JVM holds Y
     * and then waits for X. Locks belong to processes, so the OS sees each process wait for the
     * other; yet no one waits for ever: X is released once its holder is done, and both go on.
     */
    @Test
    @Timeout(60)
    void should_wait_for_a_claim_held_by_a_jvm_that_waits_for_a_claim_held_here() throws Exception {
        Path x = Files.createDirectories(dir.resolve("answer_similarity")).resolve("x.json");
        Path y = x.resolveSibling("y.json");
        VerdictClaim heldHere = VerdictClaim.take(x);
        Process other = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ClaimHolderMain.class.getName(), y.toString(), x.toString())
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(other.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("HOLDING");
            CompletableFuture<Boolean> waitingHere = CompletableFuture.supplyAsync(() -> {
                try (VerdictClaim claim = VerdictClaim.take(y)) {
                    return true;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(300);
            assertThat(waitingHere).as("the other JVM holds Y").isNotDone();
            Writer in = new OutputStreamWriter(other.getOutputStream(), StandardCharsets.UTF_8);
            in.write("go\n");
            in.flush();
            Thread.sleep(500);
            heldHere.close();

            assertThat(out.readLine()).isEqualTo("BOTH");
            assertThat(waitingHere.get(30, TimeUnit.SECONDS)).isTrue();
            assertThat(other.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(other.exitValue()).isZero();
        } finally {
            heldHere.close();
            other.destroyForcibly();
        }
    }
}
