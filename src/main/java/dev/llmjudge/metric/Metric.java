package dev.llmjudge.metric;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a judge grades: a named, versioned definition with a grading rubric, graded
 * examples and the fields of the evaluation case it reads.
 *
 * <p>This is the equivalent of MLflow's {@code make_genai_metric}. Built-in metrics live in
 * {@link Metrics}; a custom one is built like this:
 *
 * <pre>{@code
 * Metric conciseness = Metric.builder("conciseness")
 *     .version("v1")
 *     .definition("Conciseness measures whether the answer says what is needed and nothing more.")
 *     .level(1, "Mostly filler; the point is hard to find.")
 *     .level(2, "Long-winded; the point is buried.")
 *     .level(3, "Some repetition or unnecessary detail.")
 *     .level(4, "Brief, with a little unnecessary detail.")
 *     .level(5, "Says exactly what is needed.")
 *     .example(Example.builder().answer("Yes.").score(5).justification("Direct and complete.").build())
 *     .example(Example.builder().answer("Well, it depends, but ... yes.").score(3)
 *         .justification("Correct, but hedges before the point.").build())
 *     .requires(Field.ANSWER)
 *     .build();
 * }</pre>
 *
 * <p>Everything in a metric is part of the verdict cache key: change a word of the
 * definition, rubric or examples and every verdict of that metric is judged again. Bump
 * {@link #version()} when the meaning changes so that reports tell the two apart.
 *
 * @param name lower-case identifier ({@code [a-z0-9_]+}), used in reports and cache paths
 * @param version the metric's version, e.g. {@code "v1"}
 * @param definition what the metric measures, in plain language
 * @param rubric one level per score, lowest first, contiguous
 * @param examples graded few-shot examples shown to the judge
 * @param requiredFields the case fields the metric reads; always includes {@link Field#ANSWER}
 * @param modelOverride the judge model for this metric, or {@code null} for the configured one
 * @param passThreshold the score that counts as a pass when the check states none (pass/fail
 *     metrics), or {@code null}
 * @param pairwise whether the metric compares two answers to one question (see {@link #pairwiseBuilder}): its
 *     rubric is {@value #PAIRWISE_SECOND_BETTER} (the second answer serves the question better), {@value #PAIRWISE_TIE}
 *     (a tie) or {@value #PAIRWISE_FIRST_BETTER} (the first does), and it reads the question, the first answer (in the
 *     answer field) and the second (in the ground truth field)
 * @param steps the evaluation steps the judge follows (see {@link Metrics#withSteps}), or {@code null}
 */
public record Metric(
        String name,
        String version,
        String definition,
        List<GradingLevel> rubric,
        List<Example> examples,
        Set<Field> requiredFields,
        String modelOverride,
        Integer passThreshold,
        boolean pairwise,
        EvaluationSteps steps) {

    /** A pairwise score: the second answer serves the question better. */
    public static final int PAIRWISE_SECOND_BETTER = 1;
    /** A pairwise score: neither answer serves the question better. */
    public static final int PAIRWISE_TIE = 2;
    /** A pairwise score: the first answer serves the question better. */
    public static final int PAIRWISE_FIRST_BETTER = 3;

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_]{0,63}");

    public Metric {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("metric name " + (name == null ? "null" : "'" + name + "'")
                    + " is not valid: use 1 to 64 lower-case letters, digits and underscores, e.g. 'answer_similarity'");
        }
        version = requireText(version, "version", name);
        definition = requireText(definition, "definition", name);
        rubric = List.copyOf(Objects.requireNonNull(rubric, "rubric"));
        examples = List.copyOf(Objects.requireNonNull(examples, "examples"));
        Set<Field> fields = EnumSet.noneOf(Field.class);
        fields.addAll(Objects.requireNonNull(requiredFields, "requiredFields"));
        fields.add(Field.ANSWER);
        requiredFields = Collections.unmodifiableSet(fields);
        if (rubric.size() < 2) {
            throw new IllegalArgumentException("metric '" + name + "' needs a rubric of at least two levels, one per score");
        }
        for (int i = 1; i < rubric.size(); i++) {
            if (rubric.get(i).score() != rubric.get(i - 1).score() + 1) {
                throw new IllegalArgumentException("metric '" + name + "' has rubric scores "
                        + rubric.stream().map(GradingLevel::score).toList()
                        + ": list one level per score, lowest first, with no gaps");
            }
        }
        int min = rubric.get(0).score();
        int max = rubric.get(rubric.size() - 1).score();
        for (Example example : examples) {
            if (example.score() < min || example.score() > max) {
                throw new IllegalArgumentException("metric '" + name + "' has an example scored " + example.score()
                        + ", outside its rubric " + min + ".." + max);
            }
            for (Field field : fields) {
                if (example.get(field) == null) {
                    throw new IllegalArgumentException("metric '" + name + "' reads the " + field.label()
                            + " but one of its examples has none: give every example every required field");
                }
            }
        }
        if (modelOverride != null && modelOverride.isBlank()) {
            throw new IllegalArgumentException("metric '" + name + "' has a blank model override: leave it out to use the configured judge model");
        }
        if (passThreshold != null && (passThreshold < min || passThreshold > max)) {
            throw new IllegalArgumentException("metric '" + name + "' has pass threshold " + passThreshold
                    + ", outside its rubric " + min + ".." + max);
        }
        if (pairwise && (min != PAIRWISE_SECOND_BETTER || max != PAIRWISE_FIRST_BETTER || !fields.contains(Field.QUESTION)
                || !fields.contains(Field.GROUND_TRUTH))) {
            throw new IllegalArgumentException("pairwise metric '" + name + "' must score " + PAIRWISE_SECOND_BETTER + " (second answer better) to "
                    + PAIRWISE_FIRST_BETTER + " (first answer better) and read the question and both answers: build it with Metric.pairwiseBuilder");
        }
    }

    /** A metric that grades one answer, without evaluation steps. */
    public Metric(String name, String version, String definition, List<GradingLevel> rubric, List<Example> examples,
            Set<Field> requiredFields, String modelOverride, Integer passThreshold) {
        this(name, version, definition, rubric, examples, requiredFields, modelOverride, passThreshold, false, null);
    }

    private static String requireText(String value, String what, String metric) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("metric '" + metric + "' has no " + what);
        }
        return value;
    }

    /**
     * The hash of the name and version alone, which equal metrics share. A metric is a map key on every check (its rendered
     * instructions, its digests), and a record's own hash code hashes every component each time, the rubric and the examples
     * included.
     */
    @Override
    public int hashCode() {
        return 31 * name.hashCode() + version.hashCode();
    }

    /** The lowest score of the rubric. */
    public int minScore() {
        return rubric.get(0).score();
    }

    /** The highest score of the rubric. */
    public int maxScore() {
        return rubric.get(rubric.size() - 1).score();
    }

    /** The judge model this metric asks for, if it overrides the configured one. */
    public Optional<String> model() {
        return Optional.ofNullable(modelOverride);
    }

    /** Whether the metric reads the given field. */
    public boolean requires(Field field) {
        return requiredFields.contains(field);
    }

    /** A copy of this metric judged by another model (MLflow's {@code model=} argument). */
    public Metric withModel(String model) {
        return new Metric(name, version, definition, rubric, examples, requiredFields, model, passThreshold, pairwise, steps);
    }

    /** A copy of this metric that follows {@code evaluationSteps}. */
    public Metric withSteps(EvaluationSteps evaluationSteps) {
        if (evaluationSteps == null) {
            throw new IllegalArgumentException("metric '" + name + "': withSteps(null): the evaluation steps are null: pass the steps to"
                    + " follow, or use Metrics.withSteps(name, criterion) to have the judge write them");
        }
        return new Metric(name, version, definition, rubric, examples, requiredFields, modelOverride, passThreshold, pairwise,
                evaluationSteps);
    }

    /** Whether the metric asks for evaluation steps that the judge has not written yet (see {@link Metrics#withSteps}). */
    public boolean awaitsSteps() {
        return steps != null && steps.pending();
    }

    /** Starts a custom metric. */
    public static Builder builder(String name) {
        return new Builder(name, false);
    }

    /**
     * Starts a custom pairwise metric: the judge reads a question and two answers and says which
     * serves the question better, or that they tie. The rubric is fixed (second better, tie, first
     * better); the definition says what "better" means:
     *
     * <pre>{@code
     * Metric concise = Metric.pairwiseBuilder("more_concise")
     *     .definition("Which answer says what the question needs in fewer words, leaving nothing needed out?")
     *     .build();
     * assertThatAnswer(candidate).comparedTo(reference).judgedBy(concise).forQuestion(question).winsOrTies();
     * }</pre>
     */
    public static Builder pairwiseBuilder(String name) {
        return new Builder(name, true).requires(Field.QUESTION, Field.GROUND_TRUTH);
    }

    /**
     * Builds a {@link Metric}. Name, definition and rubric are required; version defaults to
     * {@code "v1"} and the required fields to {@link Field#ANSWER} alone.
     */
    public static final class Builder {
        private final String name;
        private String version = "v1";
        private String definition;
        private final List<GradingLevel> rubric = new ArrayList<>();
        private final List<Example> examples = new ArrayList<>();
        private final Set<Field> fields = new LinkedHashSet<>();
        private String model;
        private Integer passThreshold;
        private final boolean pairwise;

        private Builder(String name, boolean pairwise) {
            this.name = name;
            this.pairwise = pairwise;
        }

        public Builder version(String version) {
            this.version = version;
            return this;
        }

        public Builder definition(String definition) {
            this.definition = definition;
            return this;
        }

        /** Adds a rubric level; add them lowest score first. */
        public Builder level(int score, String description) {
            rubric.add(new GradingLevel(score, description));
            return this;
        }

        public Builder example(Example example) {
            if (example == null) {
                throw new IllegalArgumentException("metric '" + name + "': example(null): the example is null: pass one built with"
                        + " Example.builder()");
            }
            examples.add(example);
            return this;
        }

        public Builder requires(Field... required) {
            if (required == null || Arrays.asList(required).contains(null)) {
                throw new IllegalArgumentException("metric '" + name + "': requires(...) was given a null field: pass the fields the"
                        + " metric reads, e.g. requires(Field.QUESTION, Field.GROUND_TRUTH)");
            }
            fields.addAll(List.of(required));
            return this;
        }

        /** Judges this metric with the given model instead of the configured one. */
        public Builder model(String model) {
            this.model = model;
            return this;
        }

        /** The score that counts as a pass when a check calls {@code passes()} without a threshold. */
        public Builder passThreshold(int passThreshold) {
            this.passThreshold = passThreshold;
            return this;
        }

        /** The metric; a pairwise one without levels gets the standard three (second answer better, tie, first answer better). */
        public Metric build() {
            if (pairwise && rubric.isEmpty()) {
                level(PAIRWISE_SECOND_BETTER, "The second answer serves the question clearly better than the first.");
                level(PAIRWISE_TIE, "Neither answer serves the question better than the other: they are equally good, or equally bad.");
                level(PAIRWISE_FIRST_BETTER, "The first answer serves the question clearly better than the second.");
            }
            return new Metric(name, version, definition, rubric, examples, fields, model, passThreshold, pairwise, null);
        }
    }
}
