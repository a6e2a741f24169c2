package dev.llmjudge.metric;

import java.util.function.UnaryOperator;

/**
 * The definitions behind {@link Metrics}, with the semantics of MLflow's GenAI metrics. Every word
 * here is part of the verdict cache key: rewording one judges every verdict of its metric again.
 * Bump the version when the meaning changes.
 */
final class BuiltInMetrics {
    private static final String VERSION = "v1";
    private static final String EXAMPLE_CRITERION = "\"answers in a polite tone\"";

    static final Metric ANSWER_SIMILARITY = Metric.builder("answer_similarity")
            .version(VERSION)
            .definition("Answer similarity measures how closely the meaning of the answer matches the meaning of the "
                    + "ground truth. Compare what the two say, not how they say it: different wording, order or "
                    + "phrasing does not matter as long as the meaning is the same. Points of the ground truth that "
                    + "the answer leaves out, changes or contradicts lower the score.")
            .level(1, "The answer's meaning has little or nothing in common with the ground truth, or it contradicts it.")
            .level(2, "The answer shares a few points with the ground truth, but most of its meaning differs, "
                    + "or the key points are missing.")
            .level(3, "The answer conveys about half of what the ground truth means; some important points are "
                    + "missing or stated so differently that their meaning changes.")
            .level(4, "The answer conveys nearly all of the ground truth's meaning, with a minor omission or a small "
                    + "difference in emphasis.")
            .level(5, "The answer means the same as the ground truth; any differences are in wording only.")
            .example(Example.builder()
                    .answer("MLflow Tracking records the parameters, metrics and artifacts of every training run, "
                            + "so runs can be compared with each other later.")
                    .groundTruth("MLflow Tracking is the component that logs the parameters, metrics and artifacts of "
                            + "machine learning runs and lets you compare those runs.")
                    .score(5)
                    .justification("Both say that MLflow Tracking logs parameters, metrics and artifacts of runs and "
                            + "makes the runs comparable. Only the wording differs.")
                    .build())
            .example(Example.builder()
                    .answer("MLflow Tracking records the metrics of your training runs.")
                    .groundTruth("MLflow Tracking is the component that logs the parameters, metrics and artifacts of "
                            + "machine learning runs and lets you compare those runs.")
                    .score(3)
                    .justification("The answer agrees that runs are logged, but mentions only metrics and says "
                            + "nothing about parameters, artifacts or comparing runs, so half the meaning is missing.")
                    .build())
            .example(Example.builder()
                    .answer("MLflow Tracking deploys trained models as REST endpoints.")
                    .groundTruth("MLflow Tracking is the component that logs the parameters, metrics and artifacts of "
                            + "machine learning runs and lets you compare those runs.")
                    .score(1)
                    .justification("The answer describes serving models, which has nothing in common with logging "
                            + "and comparing runs as the ground truth describes.")
                    .build())
            .requires(Field.ANSWER, Field.GROUND_TRUTH)
            .build();

    static final Metric ANSWER_CORRECTNESS = Metric.builder("answer_correctness")
            .version(VERSION)
            .definition("Answer correctness measures whether the answer is factually right as a reply to the "
                    + "question, taking the ground truth as the reference for what is true. Facts that contradict "
                    + "the ground truth, wrong statements and missing key facts lower the score. Style, length and "
                    + "wording do not matter.")
            .level(1, "The answer is wrong: its key facts contradict the ground truth, or it gives nothing correct "
                    + "that answers the question.")
            .level(2, "The answer contains some correct facts, but the main part of the question is answered wrongly.")
            .level(3, "The answer is partly correct: what it says is mostly right, but it leaves out important facts "
                    + "of the ground truth or makes a minor error.")
            .level(4, "The answer is correct on everything that matters, with a small omission or an imprecision "
                    + "that does not mislead.")
            .level(5, "The answer is fully correct and complete with respect to the ground truth, without any error.")
            .example(Example.builder()
                    .question("How long do I have to ask for a refund?")
                    .answer("You can get a full refund within 30 days of purchase. After that we can only offer "
                            + "store credit.")
                    .groundTruth("Customers can request a full refund within 30 days of purchase; after 30 days, only "
                            + "store credit is offered.")
                    .score(5)
                    .justification("The answer gives the same 30-day limit and the same store-credit rule as the "
                            + "ground truth, with no error and nothing missing.")
                    .build())
            .example(Example.builder()
                    .question("How long do I have to ask for a refund?")
                    .answer("Refunds can be requested up to 90 days after purchase.")
                    .groundTruth("Customers can request a full refund within 30 days of purchase; after 30 days, only "
                            + "store credit is offered.")
                    .score(1)
                    .justification("The answer states a 90-day limit, which contradicts the 30 days of the ground "
                            + "truth; the one fact that answers the question is wrong.")
                    .build())
            .example(Example.builder()
                    .question("Does Spark run a DataFrame filter as soon as it is called?")
                    .answer("No, filter is lazy, so Spark waits before running it.")
                    .groundTruth("No. Transformations such as filter are lazy: Spark records them in the query plan and "
                            + "only runs them when an action such as count or collect is called.")
                    .score(4)
                    .justification("The answer is right that filter is lazy, but does not say that an action is "
                            + "what triggers the work. The omission does not mislead.")
                    .build())
            .requires(Field.QUESTION, Field.ANSWER, Field.GROUND_TRUTH)
            .build();

    private static final String REFUND_POLICY_CONTEXT = "Refund policy: orders can be refunded in full within 30 days "
            + "of delivery. Refunds go back to the original payment method and take 5 to 10 business days to appear. "
            + "Digital gift cards cannot be refunded.";

    static final Metric FAITHFULNESS = Metric.builder("faithfulness")
            .version(VERSION)
            .definition("Faithfulness measures whether the claims made in the answer are backed by the provided "
                    + "context. Judge only the answer's claims against the context: ignore the question, and do not "
                    + "judge whether the answer is helpful or true in general. A claim that the context does not "
                    + "support, or that contradicts it, lowers the score even if it happens to be true.")
            .level(1, "Most claims of the answer are not supported by the context, or the answer contradicts it.")
            .level(2, "A few claims are supported, but the main claims are unsupported or contradict the context.")
            .level(3, "The main claims are supported, but the answer adds several claims the context does not back.")
            .level(4, "Nearly every claim is supported; one minor detail goes beyond the context without "
                    + "contradicting it.")
            .level(5, "Every claim of the answer can be traced to the context; nothing is added or contradicted.")
            .example(Example.builder()
                    .answer("You can get a full refund within 30 days of delivery. The money goes back to the card "
                            + "you paid with and shows up within 5 to 10 business days.")
                    .context(REFUND_POLICY_CONTEXT)
                    .score(5)
                    .justification("The 30-day limit, the refund to the original payment method and the 5 to 10 "
                            + "business days are all stated in the context. The answer claims nothing else.")
                    .build())
            .example(Example.builder()
                    .answer("You can get a full refund within 30 days of delivery. Refunds are handled by our payment "
                            + "partner, and you will receive a confirmation email once it is done.")
                    .context(REFUND_POLICY_CONTEXT)
                    .score(3)
                    .justification("The 30-day limit comes from the context, but the payment partner and the "
                            + "confirmation email are not mentioned there: two claims have no support.")
                    .build())
            .example(Example.builder()
                    .answer("Refunds are possible within 60 days, arrive instantly, and gift cards can be refunded "
                            + "as store credit.")
                    .context(REFUND_POLICY_CONTEXT)
                    .score(1)
                    .justification("Every claim contradicts the context, which gives 30 days, 5 to 10 business days "
                            + "and says that gift cards cannot be refunded.")
                    .build())
            .requires(Field.ANSWER, Field.CONTEXT)
            .build();

    static final Metric ANSWER_RELEVANCE = Metric.builder("answer_relevance")
            .version(VERSION)
            .definition("Answer relevance measures whether the answer addresses the question that was asked: it "
                    + "stays on topic and responds to what the user wants to know. It does not measure whether the "
                    + "answer is correct; a relevant answer can still be wrong. Digressions, filler and answers to a "
                    + "different question lower the score.")
            .level(1, "The answer does not address the question at all: it is off topic or answers something else.")
            .level(2, "The answer touches the topic of the question but does not respond to what was asked.")
            .level(3, "The answer responds to part of the question, or buries its response in unrelated material.")
            .level(4, "The answer addresses the question, with a minor digression or a small part left unanswered.")
            .level(5, "The answer addresses exactly what was asked, fully and without leaving the topic.")
            .example(Example.builder()
                    .question("How do I log a metric in MLflow?")
                    .answer("Inside an active run, call mlflow.log_metric(\"accuracy\", 0.92); MLflow stores the value "
                            + "with that run.")
                    .score(5)
                    .justification("The answer tells the user exactly how to log a metric and says nothing that is "
                            + "beside the point.")
                    .build())
            .example(Example.builder()
                    .question("How do I log a metric in MLflow?")
                    .answer("MLflow is an open-source platform that was first released in 2018 and has a large "
                            + "community and many integrations.")
                    .score(2)
                    .justification("The answer is about MLflow, but it never says how to log a metric, which is "
                            + "what the user asked.")
                    .build())
            .requires(Field.QUESTION, Field.ANSWER)
            .build();

    private static final String SPARK_AQE_CONTEXT = "Adaptive query execution (AQE) in Spark SQL re-optimizes query "
            + "plans at runtime, using statistics collected while the query runs. It can coalesce shuffle partitions, "
            + "switch join strategies and split skewed partitions. AQE is enabled by default since Spark 3.2 and is "
            + "controlled by the setting spark.sql.adaptive.enabled.";

    static final Metric RELEVANCE = Metric.builder("relevance")
            .version(VERSION)
            .definition("Relevance measures whether the answer addresses the question and makes proper use of the "
                    + "provided context. A good answer responds to what was asked and rests on the information in "
                    + "the context instead of ignoring it or drifting away from it. An answer that is on topic but "
                    + "disregards the context, or that repeats the context without answering the question, scores "
                    + "lower.")
            .level(1, "The answer neither addresses the question nor draws on the context.")
            .level(2, "The answer addresses the question only loosely and makes little use of the context, or it "
                    + "repeats the context without answering the question.")
            .level(3, "The answer addresses part of the question and draws on the context, but misses relevant parts "
                    + "of the context or includes unrelated material.")
            .level(4, "The answer addresses the question and relies on the context, with a minor omission or "
                    + "a small digression.")
            .level(5, "The answer fully addresses the question and is grounded in the relevant parts of the context.")
            .example(Example.builder()
                    .question("How do I turn off adaptive query execution in Spark?")
                    .answer("Set spark.sql.adaptive.enabled to false. AQE has been on by default since Spark 3.2, so "
                            + "you have to disable it explicitly.")
                    .context(SPARK_AQE_CONTEXT)
                    .score(5)
                    .justification("The answer tells the user how to turn AQE off, and both the setting and the "
                            + "default come from the context.")
                    .build())
            .example(Example.builder()
                    .question("How do I turn off adaptive query execution in Spark?")
                    .answer("AQE re-optimizes query plans at runtime and can coalesce shuffle partitions and split "
                            + "skewed partitions.")
                    .context(SPARK_AQE_CONTEXT)
                    .score(2)
                    .justification("The answer repeats what the context says AQE does, but it never says how to "
                            + "turn it off, although the context names the setting.")
                    .build())
            .example(Example.builder()
                    .question("How do I turn off adaptive query execution in Spark?")
                    .answer("To speed up Spark jobs, cache the DataFrames you reuse and give executors more memory.")
                    .context(SPARK_AQE_CONTEXT)
                    .score(1)
                    .justification("The answer gives general tuning advice that does not answer the question and "
                            + "uses nothing from the context.")
                    .build())
            .requires(Field.QUESTION, Field.ANSWER, Field.CONTEXT)
            .build();

    private BuiltInMetrics() {
    }

    static final Metric PAIRWISE_PREFERENCE = Metric.pairwiseBuilder("pairwise_preference")
            .version(VERSION)
            .definition("Pairwise preference compares two answers to the same question and says which one better serves "
                    + "the person who asked: which is more correct, more complete and more helpful for what the question "
                    + "asks. Length, style and the order in which the answers are shown do not matter by themselves. When "
                    + "neither answer serves the question better, the answers tie.")
            .build();

    /** A metric named {@code name}, scored 1-5 on {@code criterion} by evaluation steps the judge writes once. */
    static Metric withSteps(String name, String criterion) {
        String text = requireCriterion(criterion, arg -> "Metrics.withSteps(" + (name == null ? "null" : "\"" + name + "\"") + ", " + arg + ")");
        Metric base = criterion(text);
        return new Metric(name, base.version(), base.definition(), base.rubric(), base.examples(), base.requiredFields(), null, null, false,
                EvaluationSteps.pending(text));
    }

    /** A metric scored 1-5 on how well the answer meets {@code criterion}. */
    static Metric criterion(String criterion) {
        String text = requireCriterion(criterion, arg -> "Metrics.criterion(" + arg + ")");
        return Metric.builder("criterion")
                .version(VERSION)
                .definition("This metric measures how well the answer meets the following criterion: \"" + text + "\". "
                        + "Judge the answer against this criterion alone: do not reward or penalise qualities the "
                        + "criterion does not mention, such as length or factual correctness, unless it asks for them.")
                .level(1, "The answer does not meet the criterion at all, or goes directly against it.")
                .level(2, "The answer meets the criterion only in a small part; most of it falls short.")
                .level(3, "The answer meets the criterion in part: about as much of it falls short as complies.")
                .level(4, "The answer mostly meets the criterion, with a minor lapse.")
                .level(5, "The answer fully meets the criterion, without any lapse.")
                .example(Example.builder()
                        .answer("Thank you for your patience! I have checked your order: the refund was issued today "
                                + "and should reach your card within 5 to 10 business days.")
                        .score(5)
                        .justification("Shown with the criterion \"answers in a polite tone\": the answer is courteous "
                                + "from start to finish, so it fully meets the criterion. Grade the actual criterion the "
                                + "same way: an answer that satisfies it throughout earns 5.")
                        .build())
                .example(Example.builder()
                        .answer("- Install MLflow with pip install mlflow\n- Start the UI with mlflow ui\n"
                                + "Then open your browser on port 5000 and look at the runs you logged before.")
                        .score(3)
                        .justification("Shown with the criterion \"answers as a bulleted list\": the first two steps "
                                + "are bullets but the last one is a plain sentence, so the answer meets the criterion "
                                + "only in part. Grade the actual criterion the same way: partial compliance earns a "
                                + "middle score.")
                        .build())
                .example(Example.builder()
                        .answer("It's in the docs. Read them.")
                        .score(1)
                        .justification("Shown with the criterion \"answers in a polite tone\": the answer is curt and "
                                + "dismissive, the opposite of what the criterion asks. Grade the actual criterion the "
                                + "same way: an answer that goes against it earns 1.")
                        .build())
                .requires(Field.ANSWER)
                .build();
    }

    /** A pass/fail metric: 1 when the answer meets {@code criterion}, 0 when it does not. */
    static Metric passFail(String criterion) {
        String text = requireCriterion(criterion, arg -> "Metrics.passFail(" + arg + ")");
        return Metric.builder("pass_fail_criterion")
                .version(VERSION)
                .definition("This metric checks whether the answer meets the following criterion: \"" + text + "\". "
                        + "It is pass or fail: an answer that meets the criterion only in part does not meet it. "
                        + "Judge the answer against this criterion alone, not against qualities it does not mention.")
                .level(0, "The answer does not meet the criterion: it goes against it, or meets it only in part.")
                .level(1, "The answer meets the criterion fully, with no part of it going against the criterion.")
                .example(Example.builder()
                        .answer("The Pro plan adds priority support and single sign-on. Our sales team can send you "
                                + "a quote for your team size.")
                        .score(1)
                        .justification("Shown with the criterion \"never quotes a price\": the answer describes the "
                                + "plan and refers pricing to the sales team without naming an amount, so it meets the "
                                + "criterion. Grade the actual criterion the same way: full compliance earns 1.")
                        .build())
                .example(Example.builder()
                        .answer("The Pro plan adds priority support and single sign-on, and costs $49 per user per "
                                + "month.")
                        .score(0)
                        .justification("Shown with the criterion \"never quotes a price\": the answer is helpful, but "
                                + "it names a price, so it does not meet the criterion. Grade the actual criterion the "
                                + "same way: a single breach earns 0.")
                        .build())
                .requires(Field.ANSWER)
                .passThreshold(1)
                .build();
    }

    /** What every conversation metric tells the judge about its input and how to name the turns it faults. */
    private static final String TRANSCRIPT = " The answer is the transcript of a conversation between a user and an assistant,"
            + " one turn per paragraph, written \"[Turn n] role: text\" with the turns numbered from 1; a system turn is the"
            + " assistant's instructions. End the justification with \"Faulted turns: \" and the numbers of the assistant turns"
            + " at fault, e.g. \"Faulted turns: 4, 6\", or \"Faulted turns: none\" when none is.";

    static final Metric KNOWLEDGE_RETENTION = Metric.builder("knowledge_retention")
            .version(VERSION)
            .definition("Knowledge retention measures whether the assistant keeps what the user told it earlier in the"
                    + " conversation: no assistant turn forgets, asks again for, or contradicts a fact the user gave before"
                    + " (a name, a number, a preference, a constraint)." + TRANSCRIPT)
            .level(1, "An assistant turn contradicts or ignores a key fact the user gave, or the assistant forgets it repeatedly.")
            .level(2, "The assistant forgets a fact the user gave and acts on a wrong one, or asks again for something important.")
            .level(3, "The assistant asks again for a fact the user already gave, or forgets a minor one, but does not act on a wrong one.")
            .level(4, "The assistant keeps every important fact; it loses a trivial detail once.")
            .level(5, "Every assistant turn is consistent with everything the user said before it.")
            .example(Example.builder()
                    .answer("[Turn 1] user: My order number is 1234 and I live in Lyon.\n\n[Turn 2] assistant: Thanks, I have"
                            + " found order 1234.\n\n[Turn 3] user: When will it arrive?\n\n[Turn 4] assistant: Order 1234"
                            + " will reach Paris on Monday.")
                    .score(1)
                    .justification("The user said in turn 1 that they live in Lyon; turn 4 says the order goes to Paris,"
                            + " contradicting it. Faulted turns: 4")
                    .build())
            .requires(Field.ANSWER)
            .build();

    static final Metric ROLE_ADHERENCE = Metric.builder("role_adherence")
            .version(VERSION)
            .definition("Role adherence measures whether every assistant turn stays within the role, scope and rules the"
                    + " system turn gives the assistant, even when the user asks it to step outside them." + TRANSCRIPT)
            .level(1, "The assistant abandons its role: it follows the user outside its scope or breaks its rules outright.")
            .level(2, "The assistant breaks a rule of its role or answers well outside its scope in at least one turn.")
            .level(3, "The assistant mostly keeps its role but drifts outside its scope or tone in one turn.")
            .level(4, "The assistant keeps its role throughout, with a small lapse of tone or wording.")
            .level(5, "Every assistant turn stays within the role and rules of the system turn.")
            .requires(Field.ANSWER)
            .build();

    static final Metric CONVERSATION_COMPLETENESS = Metric.builder("conversation_completeness")
            .version(VERSION)
            .definition("Conversation completeness measures whether, by the end of the conversation, the assistant has met"
                    + " every goal the user stated or clearly implied: each request answered, each task done or honestly"
                    + " declined. Name in the faulted turns the assistant turns that left a goal unmet." + TRANSCRIPT)
            .level(1, "None of the user's goals is met by the end of the conversation.")
            .level(2, "Only a minor goal is met; the user's main request is left open.")
            .level(3, "The main goal is met in part, or one of several goals is left open.")
            .level(4, "Every goal is met, one of them only roughly.")
            .level(5, "Every goal the user stated is fully met by the end of the conversation.")
            .requires(Field.ANSWER)
            .build();

    static final Metric CONVERSATION_RELEVANCE = Metric.builder("conversation_relevance")
            .version(VERSION)
            .definition("Conversation relevance measures whether the last assistant turn of a window of the conversation"
                    + " fits what came before it in the window: it responds to the user's latest turn in the light of the"
                    + " earlier ones, without changing the subject or answering something that was not asked. Judge the"
                    + " last turn of the window only; earlier turns are its context." + TRANSCRIPT)
            .level(1, "The last assistant turn is unrelated to what the user said before it.")
            .level(2, "The last assistant turn touches the subject but does not respond to the user's latest turn.")
            .level(3, "The last assistant turn responds in part, or ignores what the earlier turns make clear.")
            .level(4, "The last assistant turn responds to the user, with a little that is beside the point.")
            .level(5, "The last assistant turn responds exactly to what the user said, in the light of the earlier turns.")
            .requires(Field.ANSWER)
            .build();

    static final Metric CHUNK_RELEVANCE = Metric.builder("chunk_relevance")
            .version(VERSION)
            .definition("Chunk relevance checks whether one chunk of text that a retriever returned for the question is"
                    + " relevant to answering it: the answer here is that chunk, not a reply to the question. A chunk is"
                    + " relevant when it holds information that helps answer the question; one on the same topic that does"
                    + " not help is not relevant.")
            .level(0, "The chunk does not help answer the question.")
            .level(1, "The chunk holds information that helps answer the question.")
            .requires(Field.QUESTION, Field.ANSWER)
            .passThreshold(1)
            .build();

    static final Metric STATEMENT_SUPPORT = Metric.builder("statement_support")
            .version(VERSION)
            .definition("Statement support checks whether one statement of the ground truth can be attributed to the"
                    + " retrieved context: the answer here is that statement, and the context is the ranked chunks a"
                    + " retriever returned, written \"[k] text\". The statement is supported when the context states it"
                    + " or it follows directly from what the context states.")
            .level(0, "The context does not support the statement.")
            .level(1, "The context supports the statement.")
            .requires(Field.ANSWER, Field.CONTEXT)
            .passThreshold(1)
            .build();

    /**
     * {@code criterion} stripped, or an {@link IllegalArgumentException} naming the call made ({@code call} of its criterion
     * argument) and showing it with a criterion, e.g.
     * {@code Metrics.criterion(null): the criterion is null: describe what the answer must do, e.g. Metrics.criterion("answers in a polite tone")}.
     */
    private static String requireCriterion(String criterion, UnaryOperator<String> call) {
        if (criterion == null || criterion.isBlank()) {
            throw new IllegalArgumentException(call.apply(criterion == null ? "null" : quoted(criterion)) + ": the criterion is "
                    + (criterion == null ? "null" : "blank") + ": describe what the answer must do, e.g. " + call.apply(EXAMPLE_CRITERION));
        }
        return criterion.strip();
    }

    /** A blank text as a Java string literal, its line breaks and tabs escaped so that the message stays on one line. */
    private static String quoted(String blank) {
        return "\"" + blank.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t") + "\"";
    }
}
