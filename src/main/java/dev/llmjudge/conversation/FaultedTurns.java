package dev.llmjudge.conversation;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The turns a conversation verdict faults, as the conversation metrics ask the judge to name them:
 * the justification ends with {@code Faulted turns: 4, 6} (or {@code Faulted turns: none}).
 *
 * <pre>{@code
 * FaultedTurns.in("Turn 4 forgets the user's name. Faulted turns: 4");   // [4]
 * }</pre>
 */
public final class FaultedTurns {
    /** How the justification names the faulted turns; the metrics' definitions ask for exactly this. */
    public static final String LABEL = "Faulted turns:";

    private static final Pattern LINE = Pattern.compile("(?i)faulted turns?\\s*:\\s*([^\\n.]*)");
    private static final Pattern NUMBER = Pattern.compile("\\b\\d{1,9}\\b");

    private FaultedTurns() {
    }

    /** The turn numbers the justification's last {@value #LABEL} names, in order without repeats; none when it names none or has no such line. */
    public static List<Integer> in(String justification) {
        if (justification == null) {
            return List.of();
        }
        Matcher line = LINE.matcher(justification);
        String named = null;
        while (line.find()) {
            named = line.group(1);
        }
        List<Integer> turns = new ArrayList<>();
        if (named != null) {
            Matcher number = NUMBER.matcher(named);
            while (number.find()) {
                int turn = Integer.parseInt(number.group());
                if (!turns.contains(turn)) {
                    turns.add(turn);
                }
            }
        }
        return List.copyOf(turns);
    }
}
