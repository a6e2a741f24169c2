package dev.llmjudge.internal.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.openai.client.OpenAIClient;
import com.openai.core.ObjectMappers;
import com.openai.core.http.HttpResponse;
import com.openai.errors.OpenAIException;
import com.openai.errors.OpenAIServiceException;
import com.openai.models.batches.Batch;
import com.openai.models.batches.BatchCreateParams;
import com.openai.models.batches.BatchListPage;
import com.openai.models.batches.BatchListParams;
import com.openai.models.batches.BatchRequestCounts;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.files.FileCreateParams;
import com.openai.models.files.FilePurpose;
import dev.llmjudge.config.JudgeConfig;
import dev.llmjudge.internal.Secrets;
import dev.llmjudge.internal.cache.BatchCase;
import dev.llmjudge.judge.JudgeException;
import dev.llmjudge.judge.JudgeException.Reason;
import dev.llmjudge.judge.Sampling;
import dev.llmjudge.judge.Verdict;
import dev.llmjudge.metric.Metric;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The OpenAI Batch API through openai-java: uploads a batch input file ({@code purpose=batch}),
 * creates, retrieves and cancels batches of {@code /v1/chat/completions} requests, downloads
 * their output and error files, and reads each reply with the same {@link ReplyReader} as a live
 * call. Calls that fail for a passing reason (429, 5xx, network) are retried by the same
 * {@link RetryPolicy} as a live call, except a create that the endpoint may have carried out
 * (see {@link #create}); the client is created the same way, from {@code OPENAI_*}.
 */
public final class OpenAiBatches implements AutoCloseable {
    /** Batches per page when {@link #find} lists them: the most the API gives. */
    private static final long LIST_PAGE = 100;

    /** Where a batch is, as {@link #retrieve} and {@link #cancel} find it. */
    public record Status(String id, String status, long completed, long failed, long total, Optional<String> outputFileId,
            Optional<String> errorFileId) {
        /** Whether the batch will change no more: {@code completed}, {@code failed}, {@code expired} or {@code cancelled}. */
        public boolean finished() {
            return switch (status) {
                case "completed", "failed", "expired", "cancelled" -> true;
                default -> false;
            };
        }
    }

    private final JudgeConfig settings;
    private final Optional<String> apiKey;
    private final RetryPolicy retryPolicy;
    private final OpenAiErrors errors;
    private OpenAIClient client;

    /** {@code apiKey}: a key given in code, or {@code null} for the SDK's {@code OPENAI_API_KEY}. */
    public OpenAiBatches(JudgeConfig settings, String apiKey) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.apiKey = Optional.ofNullable(apiKey);
        this.retryPolicy = new RetryPolicy(settings.maxAttempts(), settings.retryBudget(), settings.initialBackoff(), settings.maxBackoff());
        this.errors = new OpenAiErrors(settings.baseUrl(), settings.timeout());
        this.apiKey.ifPresent(Secrets::register);
    }

    /** Uploads a batch input file; returns its file id. */
    public String upload(Path file) {
        return call(() -> client().files().create(FileCreateParams.builder().file(file).purpose(FilePurpose.BATCH).build()).id());
    }

    /**
     * Creates a batch of chat completion requests from an uploaded file, to complete within 24 hours. The create is sent once:
     * when it fails in a way the endpoint may have carried it out all the same (a timeout, a lost connection, HTTP 5xx), a
     * second one could make a second batch of the same requests, billed twice; the batches are listed instead and the one of
     * {@code inputFileId} taken, and with none listed the call fails, naming the file. A create refused (HTTP 429) or never
     * sent is retried as any call.
     */
    public Status create(String inputFileId) {
        BatchCreateParams params = BatchCreateParams.builder().inputFileId(inputFileId)
                .endpoint(BatchCreateParams.Endpoint.V1_CHAT_COMPLETIONS).completionWindow(BatchCreateParams.CompletionWindow._24H).build();
        return call(() -> status(client().batches().create(params)), e -> createdAnyway(inputFileId, e));
    }

    /**
     * The batch made from the uploaded file {@code inputFileId}, if the endpoint lists one (a create whose reply was lost may
     * have made it): every page of the batches is read, each retried as any call, until one has that input file.
     */
    public Optional<Status> find(String inputFileId) {
        BatchListPage page = call(() -> client().batches().list(BatchListParams.builder().limit(LIST_PAGE).build()));
        while (true) {
            Optional<Batch> made = page.data().stream().filter(b -> b.inputFileId().equals(inputFileId)).findFirst();
            if (made.isPresent()) {
                return Optional.of(status(made.get()));
            }
            if (!page.hasNextPage()) {
                return Optional.empty();
            }
            BatchListPage read = page;
            page = call(read::nextPage);
        }
    }

    /**
     * The batch that a create of {@code inputFileId}, failed with {@code e}, may have made all the same, as the endpoint lists
     * it; with none listed, or the batches not listed, an error naming the file and what to check before going on.
     */
    private Status createdAnyway(String inputFileId, OpenAIException e) {
        String failed = "creating the batch of the uploaded file " + inputFileId + " failed (" + errors.problem(e) + "), and the endpoint"
                + " " + errors.endpoint() + " may have created it all the same";
        String check = "Not sending the create again, which could make a second batch of the same requests, billed twice. Check the"
                + " provider's batches (GET /v1/batches, or the Batches page of its dashboard) for one with input file " + inputFileId
                + " before you submit again: resume lists them first, takes such a batch, and creates one only when none is listed.";
        Reason reason = e instanceof OpenAIServiceException ? Reason.SERVER_ERROR : Reason.NETWORK;
        Optional<Status> listed;
        try {
            listed = find(inputFileId);
        } catch (JudgeException listing) {
            throw new JudgeException(reason, failed + ", and its batches could not be listed to find out (" + listing.getMessage()
                    + "). " + check, e);
        }
        return listed.orElseThrow(() -> new JudgeException(reason, failed + "; it lists no batch of that file yet. " + check, e));
    }

    public Status retrieve(String batchId) {
        return call(() -> status(client().batches().retrieve(batchId)));
    }

    /** Asks for the batch to be cancelled; it is {@code cancelling}, then {@code cancelled} with the output done so far. */
    public Status cancel(String batchId) {
        return call(() -> status(client().batches().cancel(batchId)));
    }

    /** The content of an output or error file, as text (JSONL). */
    public String content(String fileId) {
        return call(() -> {
            try (HttpResponse response = client().files().content(fileId); InputStream body = response.body()) {
                return new String(body.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new JudgeException(Reason.NETWORK, "could not download the batch file " + fileId + " (" + e + "): run the"
                        + " batch command again to resume", e);
            }
        });
    }

    /**
     * The verdict in the reply to one collected request: the chat completion {@code completionJson} read by the same
     * {@link ReplyReader} as a live reply (a reply without a valid verdict errors {@link Reason#INVALID_REPLY} at once, as a
     * batch has no second attempt), marked as judged in batch {@code batchId}. A request for several samples ({@code n})
     * takes them all from its reply, as a live call does when the reply holds them; a reply with fewer valid ones errors,
     * since a verdict is never the median of fewer samples than asked and a batch cannot ask for the missing ones.
     */
    public static Verdict verdict(BatchCase collected, String completionJson, String batchId) {
        ChatCompletion completion;
        try {
            completion = ObjectMappers.jsonMapper().readValue(completionJson, ChatCompletion.class);
        } catch (JsonProcessingException e) {
            throw new JudgeException(Reason.INVALID_REPLY, "the reply is not a chat completion (" + e.getOriginalMessage() + ")", e);
        }
        Metric metric = collected.asMetric();
        int maxTokens = collected.parameters().get("max_tokens") instanceof Number n ? n.intValue()
                : collected.parameters().get("max_completion_tokens") instanceof Number m ? m.intValue() : 0;
        ReplyReader reader = new ReplyReader(collected.model(), metric, maxTokens, collected.topLogprobs() > 0, 1);
        List<Sampling.Sample> samples;
        try {
            samples = reader.read(completion, collected.choices());
        } catch (OpenAIException e) {
            throw new JudgeException(Reason.INVALID_REPLY, "the reply is not a chat completion (" + e.getMessage() + ")", e)
                    .withSpent(reader.spent());
        } catch (JudgeException e) {
            // A reply without a valid verdict was billed all the same.
            throw e.withSpent(reader.spent());
        }
        if (samples.size() < collected.choices()) {
            throw new JudgeException(Reason.INVALID_REPLY, "the reply holds " + samples.size() + " valid verdicts of the "
                    + collected.choices() + " samples asked (n, from llmjudge.judge.samples), and a batch cannot ask again for the"
                    + " missing ones. Nothing was recorded: judge these cases live (llmjudge.cache.mode=auto), or collect and submit"
                    + " them again.").withSpent(reader.spent());
        }
        return OpenAiJudge.verdict(metric, collected.model(), collected.parameters(), samples, Duration.ZERO, reader.spent())
                .withBatchId(batchId);
    }

    private static Status status(Batch batch) {
        Optional<BatchRequestCounts> counts = batch.requestCounts();
        return new Status(batch.id(), batch.status().asString(), counts.map(BatchRequestCounts::completed).orElse(0L),
                counts.map(BatchRequestCounts::failed).orElse(0L), counts.map(BatchRequestCounts::total).orElse(0L), batch.outputFileId(),
                batch.errorFileId());
    }

    /** One call of the Batch API, retried on passing faults like a judge call. */
    private <T> T call(Supplier<T> call) {
        return call(call, null);
    }

    /**
     * One call of the Batch API, retried on passing faults like a judge call; with {@code notToRepeat} given, a call not to be
     * sent twice: one that failed in a way the endpoint may have carried it out ({@link OpenAiErrors#mayHaveActed}) is not
     * sent again, and its outcome is what {@code notToRepeat} makes of the failure.
     */
    private <T> T call(Supplier<T> call, Function<OpenAIException, T> notToRepeat) {
        RetryPolicy.Retries retries = retryPolicy.start();
        while (true) {
            try {
                return call.get();
            } catch (OpenAIException e) {
                OpenAiErrors.Failure failure = errors.translate(e, settings.model());
                if (failure instanceof OpenAiErrors.Transient fault) {
                    if (notToRepeat != null && OpenAiErrors.mayHaveActed(e)) {
                        return notToRepeat.apply(e);
                    }
                    retries.waitToRetry(fault.retryAfter(), fault.giveUp());
                } else if (failure instanceof OpenAiErrors.Final last) {
                    throw last.error();
                } else {
                    throw new JudgeException(Reason.INVALID_REPLY, "the batch endpoint's reply is not what the Batch API returns ("
                            + e.getMessage() + "): check OPENAI_BASE_URL", e);
                }
            }
        }
    }

    private synchronized OpenAIClient client() {
        if (client == null) {
            client = OpenAiJudge.createClient(settings, apiKey);
        }
        return client;
    }

    @Override
    public synchronized void close() {
        if (client != null) {
            client.close();
        }
    }
}
