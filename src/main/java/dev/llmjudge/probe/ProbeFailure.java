package dev.llmjudge.probe;

import dev.llmjudge.internal.Secrets;
import dev.llmjudge.internal.Texts;
import dev.llmjudge.metric.Metric;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The failure message of a bias probe: what was expected, how many pairs moved against how many
 * may, and each pair that moved (both answers shortened, both scores, both justifications), every
 * text redacted before it is shortened.
 */
final class ProbeFailure {
    /** At most this many pairs are listed. */
    static final int PAIR_LIMIT = 20;
    static final int ANSWER_LIMIT = 200;
    static final int JUSTIFICATION_LIMIT = 300;

    private ProbeFailure() {
    }

    /** {@code pairs} counted, of which {@code moved} moved; {@code atTheTop} more were not counted, their answer at the rubric's top. */
    static AssertionError of(BiasProbe.Probe probe, Metric metric, List<Rewrite> rewrites, int pairs, int atTheTop, List<BiasProbe.Judged> moved,
            int allowed, double share) {
        String notCounted = atTheTop == 0 ? "" : String.format(Locale.ROOT, "%n%d more %s not counted: the answer already scored the top"
                + " of the rubric.", atTheTop, atTheTop == 1 ? "pair is" : "pairs are");
        String rewritten = (rewrites.size() == 1 ? "Rewrite: " : "Rewrites: ")
                + String.join("; ", rewrites.stream().map(Rewrite::description).toList());
        StringBuilder m = new StringBuilder(String.format(Locale.ROOT,
                "%nExpecting the judge of %s (%s) %s,%nbut the score %s by one level or more in %d of %d %s (%.0f%%); at most %d may"
                        + " (allowingShare(%s)).%s%n%s.%nPairs that moved:",
                metric.name(), metric.version(), probe.expectation, probe.verb, moved.size(), pairs, pairs == 1 ? "pair" : "pairs",
                100.0 * moved.size() / pairs, allowed, share, notCounted, rewritten));
        for (BiasProbe.Judged j : moved.stream().limit(PAIR_LIMIT).toList()) {
            BiasProbe.Pair p = j.pair();
            m.append(String.format(Locale.ROOT, "%n  case %d%s%s: %d -> %d (%+d)", p.index(),
                    p.evaluationCase().question() == null ? "" : " " + Texts.quoted(Secrets.redact(p.evaluationCase().question()), 60),
                    rewrites.size() == 1 ? "" : ", " + p.rewrite().description(), j.original().score(), j.rewritten().score(), j.delta()));
            m.append(String.format(Locale.ROOT, "%n    original answer:         %s%n    rewritten answer:        %s"
                    + "%n    original justification:  %s%n    rewritten justification: %s",
                    shown(p.original().evaluationCase().answer(), ANSWER_LIMIT), shown(p.rewritten().evaluationCase().answer(), ANSWER_LIMIT),
                    shown(j.original().justification(), JUSTIFICATION_LIMIT), shown(j.rewritten().justification(), JUSTIFICATION_LIMIT)));
        }
        if (moved.size() > PAIR_LIMIT) {
            m.append(String.format(Locale.ROOT, "%n  ... and %d more pairs", moved.size() - PAIR_LIMIT));
        }
        m.append(System.lineSeparator()).append("Judge: ").append(String.join(", ", moved.stream()
                .flatMap(j -> Stream.of(j.original().judgeModel(), j.rewritten().judgeModel())).distinct().toList()));
        return new AssertionError(Secrets.redact(m.toString()));
    }

    /**
     * The text quoted on one line, line breaks and tabs shown as {@code \n} and {@code \t} and
     * spaces kept (a reformatting is visible), redacted, then cut at {@code limit} characters.
     */
    static String shown(String text, int limit) {
        String visible = Secrets.redact(text).replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n").replace("\t", "\\t");
        return "\"" + Texts.cut(visible, limit) + "\"";
    }
}
