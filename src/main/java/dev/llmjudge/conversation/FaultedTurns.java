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
 * FaultedTurns.in("Turn 4 forgets the user's name. Faulted turns: 4");                     // [4]
 * FaultedTurns.in("Faulted turns: 4 and 6");                                               // [4, 6]
 * FaultedTurns.in("Turn 4 says Paris. Faulted turns: 4 (the user said Lyon in turn 1)");   // [4]
 * }</pre>
 *
 * <p>Only the list right after the label is read: turn numbers separated by commas, {@code and}
 * or {@code &}, each optionally written {@code turn 4}. The list ends at the first thing that is
 * not one of them, so a number in what follows (an aside in parentheses, a sentence that cites an
 * earlier turn) is not taken for a faulted turn.
 */
public final class FaultedTurns {
    /** How the justification names the faulted turns; the metrics' definitions ask for exactly this. */
    public static final String LABEL = "Faulted turns:";

    private static final Pattern LINE = Pattern.compile("(?i)faulted turns?\\s*:([^\\n]*)");
    private static final String ITEM = "(?:turns?\\s*)?\\d+\\b";
    private static final String SEPARATOR = "(?:\\s*,\\s*(?:and\\s+)?|\\s*&\\s*|\\s+and\\s+)";
    /** The list of turns the line starts with; what follows it is not read. */
    private static final Pattern LIST = Pattern.compile("(?i)^\\s*" + ITEM + "(?:" + SEPARATOR + ITEM + ")*");
    private static final Pattern NUMBER = Pattern.compile("\\d+");
    /** The most digits a turn number is read with; a longer one is no turn of any conversation. */
    private static final int MAX_DIGITS = 9;

    private FaultedTurns() {
    }

    /**
     * The turn numbers listed right after the justification's last {@value #LABEL}, in order without
     * repeats; none when it lists none ({@code none}) or has no such line.
     */
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
        Matcher list = named == null ? null : LIST.matcher(named);
        if (list != null && list.find()) {
            Matcher number = NUMBER.matcher(list.group());
            while (number.find()) {
                if (number.group().length() <= MAX_DIGITS) {
                    int turn = Integer.parseInt(number.group());
                    if (!turns.contains(turn)) {
                        turns.add(turn);
                    }
                }
            }
        }
        return List.copyOf(turns);
    }
}
