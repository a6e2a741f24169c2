package dev.llmjudge.conversation;


/**
 * One turn of a {@link Conversation}: its number (from 1, in the order spoken), who spoke and
 * what was said.
 *
 * <pre>{@code
 * Turn turn = conversation.turn(4);
 * turn.role();      // Role.ASSISTANT
 * turn.render();    // "[Turn 4] assistant: Your order ships on Monday."
 * }</pre>
 *
 * @param number the turn's number, from 1
 * @param role who spoke
 * @param text what was said; not blank, by the test the judge's requests use: nothing but white space, no-break
 *     spaces and invisible format characters (zero-width space, BOM) is blank
 */
public record Turn(int number, Role role, String text) {

    public Turn {
        if (role == null) {
            throw new IllegalArgumentException("turn " + number + " has a null role: pass Role.SYSTEM, Role.USER or Role.ASSISTANT,"
                    + " or Role.of(label) for a label such as \"assistant\"");
        }
        if (number < 1) {
            throw new IllegalArgumentException("turn numbers start at 1, not " + number);
        }
        if (text == null || isBlank(text)) {
            throw new IllegalArgumentException("turn " + number + " (" + role.label() + ") is " + (text == null ? "null" : "blank")
                    + ": give every turn the text that was said");
        }
    }

    /**
     * Blank as {@code JudgeRequest} tests a field: nothing but white space, no-break spaces and
     * invisible format characters. Its own copy, as this package depends on nothing of the library;
     * {@code ConversationTest} keeps the two the same.
     */
    static boolean isBlank(String text) {
        return text.codePoints().allMatch(c -> Character.isWhitespace(c) || Character.isSpaceChar(c)
                || Character.getType(c) == Character.FORMAT);
    }

    /** The turn as a transcript shows it to the judge: {@code [Turn 4] assistant: ...}. */
    public String render() {
        return "[Turn " + number + "] " + role.label() + ": " + text;
    }
}
