package dev.llmjudge.internal.openai;

import dev.llmjudge.internal.HttpUrls;
import dev.llmjudge.internal.Texts;
import dev.llmjudge.judge.JudgeException;
import dev.llmjudge.internal.Secrets;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.errors.OpenAIException;
import com.openai.errors.OpenAIInvalidDataException;
import com.openai.errors.OpenAIIoException;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.PermissionDeniedException;
import com.openai.errors.UnauthorizedException;
import dev.llmjudge.judge.JudgeException.Reason;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What an exception of the openai-java SDK means for a judge call: the {@link JudgeException} to
 * throw, with a message naming the endpoint, the cause and the setting to change. The only place
 * SDK exceptions are translated.
 */
final class OpenAiErrors {
    /** The fix for a reply that is not a chat completion at all. */
    static final String NOT_AN_API = "OPENAI_BASE_URL must point at an OpenAI-compatible API (usually ending in /v1),"
            + " not at a web page or a sign-in proxy.";

    /** What a failed request means for the call. */
    sealed interface Failure permits Final, Transient, NotAChatCompletion {
    }

    /** Retrying cannot help: the call ends with {@code error}. */
    record Final(JudgeException error) implements Failure {
    }

    /** A passing fault (HTTP 408, 409, 429, 5xx, network): retried after the delay the server asked for, if any, until {@code giveUp}. */
    record Transient(Optional<Duration> retryAfter, RetryPolicy.GiveUp giveUp) implements Failure {
    }

    /** A reply came whose body is not a chat completion (say, a sign-in page): a reply without a verdict. */
    record NotAChatCompletion(ReplyReader.Problem problem, OpenAIException cause) implements Failure {
    }

    private final Optional<String> baseUrlOverride;
    private final Duration timeout;

    /** {@code baseUrlOverride}: {@code llmjudge.judge.base-url}, else the SDK's endpoint; {@code timeout}: named when one times out. */
    OpenAiErrors(Optional<String> baseUrlOverride, Duration timeout) {
        this.baseUrlOverride = baseUrlOverride;
        this.timeout = timeout;
    }

    /** What {@code e}, thrown by a chat completion request for {@code model}, means for the call. */
    Failure translate(OpenAIException e, String model) {
        return translate(e, model, false);
    }

    /** The same, for a request that asked for {@code logprobs} when {@code logprobs} is set: a rejection of them says so. */
    Failure translate(OpenAIException e, String model, boolean logprobs) {
        if (logprobs && e instanceof BadRequestException bad && namesLogprobs(bad)) {
            return new Final(new JudgeException(Reason.NO_PROBABILITIES, "the judge endpoint " + endpoint() + " rejected logprobs for"
                    + " model '" + model + "' (HTTP 400: " + serverMessage(bad) + "), which llmjudge.judge.score-by=probabilities reads"
                    + " the score from. " + ScoreProbabilities.FIX, e));
        }
        if (e instanceof BadRequestException bad) {
            return new Final(new JudgeException(Reason.BAD_REQUEST, "the judge endpoint " + endpoint() + " rejected the request for model '"
                    + model + "' (HTTP 400: " + serverMessage(bad) + "). Check llmjudge.judge.model and the server's supported parameters.", e));
        }
        if (e instanceof UnauthorizedException) {
            return new Final(new JudgeException(Reason.AUTHENTICATION, "the judge endpoint " + endpoint()
                    + " rejected the API key (HTTP 401): check OPENAI_API_KEY (for Azure OpenAI, the key of that resource).", e));
        }
        if (e instanceof PermissionDeniedException) {
            return new Final(new JudgeException(Reason.AUTHENTICATION, "the judge endpoint " + endpoint() + " denied access to model '" + model
                    + "' (HTTP 403): check that the API key's project may use this model, or choose another with llmjudge.judge.model.", e));
        }
        if (e instanceof NotFoundException) {
            return new Final(new JudgeException(Reason.NOT_FOUND, "the judge endpoint " + endpoint() + " answered HTTP 404 for model '" + model
                    + "': check llmjudge.judge.model (the model or deployment name) and OPENAI_BASE_URL (it usually ends in /v1).", e));
        }
        if (e instanceof OpenAIServiceException service) {
            return serviceFailure(service, model);
        }
        // The SDK reports a connection lost while reading the body as invalid data: that is a network fault.
        if (e instanceof OpenAIInvalidDataException && !causedByIo(e)) {
            return new NotAChatCompletion(notAChatCompletion(e), e);
        }
        if (e instanceof OpenAIIoException || e instanceof OpenAIInvalidDataException) {
            return new Transient(Optional.empty(), (attempts, elapsed) -> new JudgeException(Reason.NETWORK, "could not get a reply from"
                    + " the judge endpoint " + endpoint() + " after " + attempts + " attempts (" + networkProblem(e) + "): check"
                    + " OPENAI_BASE_URL, that the server is running, and llmjudge.judge.timeout.", e));
        }
        return new Final(new JudgeException(Reason.NETWORK, "the judge call to " + endpoint() + " failed: " + rootMessage(e), e));
    }

    /** An HTTP status other than 400, 401, 403 and 404. */
    private Failure serviceFailure(OpenAIServiceException e, String model) {
        int status = e.statusCode();
        if (status == 429 && String.valueOf(e.body()).contains("insufficient_quota")) {
            // Retrying cannot help: the account is out of credit, not momentarily busy.
            return new Final(new JudgeException(Reason.RATE_LIMITED, "the judge endpoint " + endpoint() + " refused the request: the account"
                    + " behind the API key has no quota left (HTTP 429 insufficient_quota). Check the plan and billing of that"
                    + " account, or use another OPENAI_API_KEY.", e));
        }
        Reason reason = status == 429 ? Reason.RATE_LIMITED : status >= 500 ? Reason.SERVER_ERROR : Reason.BAD_REQUEST;
        if (status != 408 && status != 409 && status != 429 && status < 500) {
            return new Final(new JudgeException(reason, "the judge endpoint " + endpoint() + " answered HTTP " + status + " for model '" + model
                    + "' (" + serverMessage(e) + "). Check llmjudge.judge.model and OPENAI_BASE_URL." + notJsonHint(e), e));
        }
        String what = status == 429 ? "kept rate limiting (HTTP 429)" : "kept failing (last: HTTP " + status + ")";
        return new Transient(retryAfter(e), (attempts, elapsed) -> new JudgeException(reason, "the judge endpoint " + endpoint() + " " + what
                + " after " + attempts + " attempts in " + seconds(elapsed) + ": try again later, lower the request rate,"
                + " or raise llmjudge.judge.max-attempts / llmjudge.judge.retry-budget." + notJsonHint(e), e));
    }

    /** Why a reply the SDK failed to read with {@code e} holds no verdict: it is not a chat completion, and what to check. */
    static ReplyReader.Problem notAChatCompletion(OpenAIException e) {
        return new ReplyReader.Problem("the reply is not a chat completion (" + rootMessage(e) + ")", NOT_AN_API);
    }

    /**
     * Whether the endpoint may have carried out a request that failed with {@code e}, a passing fault ({@link Transient}),
     * though no reply said so: after a timeout, a lost connection or HTTP 5xx (also 408 and 409, which a gateway may send
     * in front of a server that went on) the work may be done. Not after a refusal (HTTP 429), nor when no connection was made.
     */
    static boolean mayHaveActed(OpenAIException e) {
        if (e instanceof OpenAIServiceException service) {
            return service.statusCode() != 429;
        }
        for (Throwable t = e; t != null && t != t.getCause(); t = t.getCause()) {
            if (t instanceof ConnectException) {
                return false;
            }
        }
        return true;
    }

    /** What went wrong in a request that failed with {@code e}, for a message: its HTTP status and the server's words, or the fault. */
    String problem(OpenAIException e) {
        return e instanceof OpenAIServiceException service ? "HTTP " + service.statusCode() + ": " + serverMessage(service)
                : networkProblem(e);
    }

    /** Whether a rejection is about {@code logprobs} or {@code top_logprobs}: its {@code param}, else its message. */
    private static boolean namesLogprobs(BadRequestException e) {
        return (e.param().orElse("") + " " + e.getMessage() + " " + e.body()).toLowerCase(Locale.ROOT).contains("logprobs");
    }

    /** The client could not be built from {@code OPENAI_*} variables and {@code openai.*} properties. */
    static JudgeException notConfigurable(RuntimeException e) {
        return new JudgeException(Reason.NOT_CONFIGURED, "the judge client cannot be configured from the environment ("
                + rootMessage(e) + "): check that OPENAI_BASE_URL, if set, is a full URL such as http://127.0.0.1:11434/v1.", e);
    }

    /** The endpoint in the environment ({@code source}: {@code OPENAI_BASE_URL} or {@code -Dopenai.baseUrl}) is no http or https URL. */
    static JudgeException badBaseUrl(String source, String value) {
        return new JudgeException(Reason.NOT_CONFIGURED, "invalid value '" + Secrets.redactSetting(value) + "' for " + source + ": expected "
                + HttpUrls.EXPECTED + " (unset: OpenAI's endpoint)");
    }

    /** The client could not be built: the SDK rejected a setting other than the API key. */
    static JudgeException notBuildable(RuntimeException e) {
        return new JudgeException(Reason.NOT_CONFIGURED, "the judge client cannot be built (" + rootMessage(e) + "): check"
                + " llmjudge.judge.base-url, llmjudge.judge.timeout and the OPENAI_* environment variables.", e);
    }

    /** The client could not be built: the SDK found no API key. */
    static JudgeException noApiKey(RuntimeException e) {
        return noApiKey(e, Optional.empty());
    }

    /** As {@link #noApiKey(RuntimeException)}; {@code adminKeySetBy}: where an admin key is set, which chat calls do not use. */
    static JudgeException noApiKey(RuntimeException e, Optional<String> adminKeySetBy) {
        return new JudgeException(Reason.MISSING_KEY, "no API key for the judge (the OpenAI client says: " + Secrets.redact(e.getMessage())
                + "): set OPENAI_API_KEY (any non-empty value for a local server such as Ollama) and, for a server other than"
                + " OpenAI, OPENAI_BASE_URL; or run with llmjudge.cache.mode=replay and recorded verdicts."
                + adminKeySetBy.map(by -> " An admin key is set (" + by + "), but an admin key is not used for chat calls: the judge"
                        + " needs an API key.").orElse(""));
    }

    /** The endpoint, without credentials, query or fragment, for messages. */
    String endpoint() {
        String url = baseUrlOverride.orElseGet(() -> Stream.of(System.getProperty("openai.baseUrl"), System.getenv("OPENAI_BASE_URL"))
                .filter(v -> v != null && !v.isBlank()).findFirst().orElse("https://api.openai.com/v1"));
        try {
            URI uri = URI.create(url);
            return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null).toString();
        } catch (Exception e) {
            return "(the configured base URL)";
        }
    }

    /** The delay the server asked for in the {@code retry-after-ms} or {@code Retry-After} header of an error reply. */
    private static Optional<Duration> retryAfter(OpenAIServiceException e) {
        return RetryPolicy.retryAfter(e.headers().values("retry-after-ms").stream().findFirst(),
                e.headers().values("retry-after").stream().findFirst(), Instant.now());
    }

    /** The server's error body on one line, redacted before it is cut, so that no part of a key survives. */
    private static String serverMessage(OpenAIServiceException e) {
        return Texts.oneLine(Secrets.redact(String.valueOf(e.body())), 300);
    }

    /** A hint when an error reply was not the endpoint's JSON but, say, a proxy's HTML page. */
    private static String notJsonHint(OpenAIServiceException e) {
        String type = e.headers().values("content-type").stream().findFirst().orElse("");
        if (type.toLowerCase(Locale.ROOT).contains("json")) {
            return "";
        }
        return " The reply was not JSON (" + (type.isBlank() ? "no Content-Type" : "Content-Type " + type) + "), so a proxy or"
                + " gateway answered rather than the judge: check OPENAI_BASE_URL and any HTTP proxy in between.";
    }

    /**
     * What went wrong on the wire. A timeout and a connection closed before the headers came are
     * named as such: OkHttp's root causes are then a misleading "Socket closed" and an
     * {@link EOFException} quoting the empty buffer.
     */
    private String networkProblem(Throwable e) {
        boolean closed = false;
        for (Throwable t = e; t != null && t != t.getCause(); t = t.getCause()) {
            if (t instanceof InterruptedIOException && String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT).contains("timeout")
                    || t instanceof SocketTimeoutException) {
                return "the last attempt timed out after " + seconds(timeout);
            }
            closed |= t instanceof EOFException;
        }
        return closed ? "the server closed the connection before replying" : rootMessage(e);
    }

    private static boolean causedByIo(Throwable e) {
        for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            if (t instanceof IOException && !(t instanceof JsonProcessingException)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The innermost cause, as "Class: message"; a JSON parser's without Jackson's "[Source: REDACTED ...]", which reads as if a
     * secret had been removed.
     */
    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String text = t instanceof JsonProcessingException json ? json.getOriginalMessage() : t.getMessage();
        String message = text == null ? t.getClass().getSimpleName() : t.getClass().getSimpleName() + ": " + text;
        return Secrets.redact(message);
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
