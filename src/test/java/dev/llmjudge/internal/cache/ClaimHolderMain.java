package dev.llmjudge.internal.cache;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A second JVM for {@link VerdictClaimTest}: claims {@code args[0]}, prints {@code HOLDING},
 * waits for a line on its input, then claims {@code args[1]} too, prints {@code BOTH} (or the
 * failure) and releases both.
 */
public final class ClaimHolderMain {
    private ClaimHolderMain() {
    }

    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try (VerdictClaim first = VerdictClaim.take(Path.of(args[0]))) {
            System.out.println("HOLDING");
            System.out.flush();
            in.readLine();
            try (VerdictClaim second = VerdictClaim.take(Path.of(args[1]))) {
                System.out.println("BOTH");
            } catch (Exception e) {
                System.out.println("FAILED " + e);
            }
        }
        System.out.flush();
    }
}
