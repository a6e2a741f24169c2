package dev.llmjudge.conversation;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A conversation to grade: its turns in the order spoken, numbered from 1, each a role and a text.
 *
 * <pre>{@code
 * Conversation conversation = Conversation.builder()
 *     .system("You are the support assistant of an online shop. Only discuss orders and returns.")
 *     .user("Hi, I'm Dana. My order 1234 has not arrived.")     // turn 2
 *     .assistant("Sorry to hear that, Dana. Order 1234 ships on Monday.")
 *     .build();
 * }</pre>
 *
 * <p>The judge reads it as a {@linkplain #transcript() transcript}, one line per turn, which is
 * part of the verdict's key: change a word of a turn and the conversation is judged again.
 *
 * @param turns the turns, numbered 1, 2, 3, ... in order; at least one
 */
public record Conversation(List<Turn> turns) {

    public Conversation {
        if (turns == null) {
            throw new IllegalArgumentException("the turns are null: pass the turns in order, or build the conversation with"
                    + " Conversation.builder().user(...).assistant(...).build()");
        }
        for (int i = 0; i < turns.size(); i++) {
            if (turns.get(i) == null) {
                throw new IllegalArgumentException("turn " + (i + 1) + " of " + turns.size() + " is null: pass every turn, e.g."
                        + " new Turn(" + (i + 1) + ", Role.USER, \"...\")");
            }
        }
        turns = List.copyOf(turns);
        if (turns.isEmpty()) {
            throw new IllegalArgumentException("the conversation has no turns: add at least a user and an assistant turn");
        }
        for (int i = 0; i < turns.size(); i++) {
            if (turns.get(i).number() != i + 1) {
                throw new IllegalArgumentException("turn " + (i + 1) + " is numbered " + turns.get(i).number()
                        + ": number the turns 1, 2, 3, ... in the order spoken");
            }
        }
    }

    /** Starts a conversation; each call adds the next turn. */
    public static Builder builder() {
        return new Builder();
    }

    /** The turn numbered {@code number}, from 1. */
    public Turn turn(int number) {
        if (number < 1 || number > turns.size()) {
            throw new IllegalArgumentException("the conversation has turns 1 to " + turns.size() + ", not " + number);
        }
        return turns.get(number - 1);
    }

    /** The number of turns. */
    public int size() {
        return turns.size();
    }

    /** The numbers of the assistant's turns, in order. */
    public List<Integer> assistantTurns() {
        return turns.stream().filter(t -> t.role() == Role.ASSISTANT).map(Turn::number).toList();
    }

    /** The whole conversation as the judge reads it: one {@linkplain Turn#render() rendered turn} per paragraph. */
    public String transcript() {
        return render(turns);
    }

    /**
     * The sliding windows of the last {@code size} turns, one for each assistant turn after the
     * first turn: turns {@code max(1, n - size + 1)} to {@code n} for assistant turn {@code n}.
     * Each is judged on its own, so a long conversation is judged in pieces of a bounded size.
     *
     * @throws IllegalArgumentException when {@code size} is below 2 (a window holds an assistant turn and what came before)
     */
    public List<Window> windows(int size) {
        if (size < 2) {
            throw new IllegalArgumentException("a window of " + size + " turns cannot show an assistant turn and what came before it:"
                    + " use at least 2");
        }
        List<Window> windows = new ArrayList<>();
        for (int last : assistantTurns()) {
            if (last > 1) {
                int first = Math.max(1, last - size + 1);
                windows.add(new Window(first, last, render(turns.subList(first - 1, last))));
            }
        }
        return windows;
    }

    private static String render(List<Turn> turns) {
        return turns.stream().map(Turn::render).collect(Collectors.joining("\n\n"));
    }

    /**
     * A slice of a conversation ending at an assistant turn, judged on whether that turn fits
     * what came before in the slice.
     *
     * @param firstTurn the number of its first turn
     * @param lastTurn the number of its last turn, the assistant turn judged
     * @param transcript the slice as the judge reads it, with the conversation's turn numbers
     */
    public record Window(int firstTurn, int lastTurn, String transcript) {
    }

    /** Builds a {@link Conversation}, numbering the turns in the order they are added. */
    public static final class Builder {
        private final List<Turn> turns = new ArrayList<>();

        private Builder() {
        }

        /** Adds a system prompt turn. */
        public Builder system(String text) {
            return turn(Role.SYSTEM, text);
        }

        /** Adds a user turn. */
        public Builder user(String text) {
            return turn(Role.USER, text);
        }

        /** Adds an assistant turn. */
        public Builder assistant(String text) {
            return turn(Role.ASSISTANT, text);
        }

        /** Adds a turn of the given role. */
        public Builder turn(Role role, String text) {
            turns.add(new Turn(turns.size() + 1, role, text));
            return this;
        }

        public Conversation build() {
            return new Conversation(turns);
        }
    }
}
