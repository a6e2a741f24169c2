package dev.llmjudge.junit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.llmjudge.conversation.Conversation;
import dev.llmjudge.conversation.Role;
import dev.llmjudge.judge.ContextChunks;
import dev.llmjudge.judge.JudgeRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URL;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * Reads evaluation datasets (JSONL, CSV) into {@link DatasetRow}s, naming file, line and column of
 * a bad row, which becomes an {@link Entry} with its error; a problem of the whole file is thrown.
 */
final class DatasetReader {
    /** The JSONL field of a row's conversation. */
    static final String MESSAGES = "messages";
    static final List<String> COLUMNS = List.of("id", "question", "ground_truth", "answer", "context");
    /** The column of a labelled dataset that holds the people's scores (see {@link Labels}). */
    static final String HUMAN_SCORE = "human_score";
    /** Accepted column names, to their canonical column. MLflow's names ({@code inputs}, {@code prediction}, {@code predictions}) included. */
    private static final Map<String, String> ALIASES = Map.of(
            "id", "id",
            "question", "question",
            "inputs", "question",
            "ground_truth", "ground_truth",
            "prediction", "answer",
            "predictions", "answer",
            "answer", "answer",
            "context", "context");
    private static final JsonFactory JSON = JsonFactory.builder().enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final Pattern CSV_ERROR_LINE = Pattern.compile("\\((?:startline|line) (\\d+)\\)|at line: (\\d+)");

    private DatasetReader() {
    }

    /**
     * What a labelled dataset adds to its rows: {@value #HUMAN_SCORE}, the scores people gave the row
     * on {@code metric}, each a whole number in {@code minScore..maxScore}. JSONL: a number or an array
     * of numbers; CSV: one cell, several scores separated by {@code |}.
     */
    record Labels(String metric, int minScore, int maxScore) {
    }

    /** One row as read: its row, or for a bad row its error and a placeholder holding only the source and line; its human scores if asked for. */
    record Entry(DatasetRow row, DatasetException error, List<Integer> humanScores) {
        Entry(DatasetRow row, DatasetException error) {
            this(row, error, null);
        }

        static Entry bad(String name, int line, DatasetException error) {
            return new Entry(new DatasetRow(null, null, null, null, null, name, line), error);
        }

        boolean isBad() {
            return error != null;
        }
    }

    /** The file's rows in order, bad ones included. */
    static List<Entry> read(JudgeDataset dataset, ClassLoader loader) {
        return read(dataset.value(), dataset.format(), requiredColumns(dataset), null, loader);
    }

    /** The file's rows in order, bad ones included; with {@code labels}, each row's human scores, checked. */
    static List<Entry> read(String name, JudgeDataset.Format declared, List<String> required, Labels labels, ClassLoader loader) {
        String text = load(name, loader);
        JudgeDataset.Format format = format(declared, name);
        List<Entry> entries = format == JudgeDataset.Format.CSV ? readCsv(name, text, required, labels) : readJsonl(name, text, required, labels);
        if (entries.isEmpty()) {
            throw new DatasetException(name, 1, 1, "the dataset has no rows");
        }
        return entries;
    }

    /** The required columns by their canonical names; an accepted alias ({@code prediction}) names its column. */
    private static List<String> requiredColumns(JudgeDataset dataset) {
        return Arrays.stream(dataset.required()).map(column -> Optional.ofNullable(ALIASES.get(column)).orElseThrow(
                () -> new ExtensionConfigurationException("@JudgeDataset(required) names the column '" + column + "'; the columns are "
                        + String.join(", ", COLUMNS)))).toList();
    }

    private static JudgeDataset.Format format(JudgeDataset.Format declared, String name) {
        if (declared != JudgeDataset.Format.AUTO) {
            return declared;
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".jsonl") || lower.endsWith(".ndjson")) {
            return JudgeDataset.Format.JSONL;
        }
        if (lower.endsWith(".csv")) {
            return JudgeDataset.Format.CSV;
        }
        throw new ExtensionConfigurationException("cannot tell the format of dataset '" + name
                + "' from its name: name it .jsonl or .csv, or set @JudgeDataset(format = ...)");
    }

    /** The dataset's text: from the class path, else the file system; UTF-8, byte order mark removed. */
    static String load(String name, ClassLoader loader) {
        byte[] bytes;
        try {
            URL resource = loader == null ? null : loader.getResource(name.startsWith("/") ? name.substring(1) : name);
            if (resource != null) {
                try (InputStream in = resource.openStream()) {
                    bytes = in.readAllBytes();
                }
            } else {
                Path file = Path.of(name);
                if (!Files.isRegularFile(file)) {
                    throw new ExtensionConfigurationException("dataset '" + name + "' was found neither on the test class path nor as the file "
                            + file.toAbsolutePath() + ": put it under src/test/resources, or give a path from the working directory");
                }
                bytes = Files.readAllBytes(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read dataset '" + name + "': " + e.getMessage(), e);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new DatasetException(name, 1, 1, "the dataset is not UTF-8 text: save it as UTF-8");
        }
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    /** Every line is a row of its own. */
    static List<Entry> readJsonl(String name, String text, List<String> required) {
        return readJsonl(name, text, required, null);
    }

    static List<Entry> readJsonl(String name, String text, List<String> required, Labels labels) {
        List<Entry> entries = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isBlank()) {
                continue;
            }
            try {
                entries.add(jsonRow(name, i + 1, line, required, labels));
            } catch (DatasetException e) {
                entries.add(Entry.bad(name, i + 1, e));
            }
        }
        return entries;
    }

    private static Entry jsonRow(String name, int lineNo, String line, List<String> required, Labels labels) {
        Map<String, String> values = new HashMap<>();
        List<Integer> humanScores = null;
        Map<String, Integer> columns = new HashMap<>();
        Map<String, String> spelledAs = new HashMap<>();
        Conversation conversation = null;
        List<String> chunks = null;
        try (JsonParser p = JSON.createParser(line)) {
            JsonToken t = p.nextToken();
            if (t != JsonToken.START_OBJECT) {
                throw new DatasetException(name, lineNo, column(p.currentTokenLocation()),
                        "expected a JSON object such as {\"question\": \"...\", \"ground_truth\": \"...\", \"answer\": \"...\"}");
            }
            while ((t = p.nextToken()) != JsonToken.END_OBJECT) {
                String field = p.currentName();
                int fieldColumn = column(p.currentTokenLocation());
                JsonToken value = p.nextToken();
                if (labels != null && HUMAN_SCORE.equals(field)) {
                    humanScores = jsonHumanScores(name, lineNo, p, value, labels);
                    continue;
                }
                if (MESSAGES.equals(field)) {
                    conversation = messages(name, lineNo, p, value);
                    continue;
                }
                String canonical = ALIASES.get(field);
                if (canonical == null) {
                    p.skipChildren();
                    continue;
                }
                if (spelledAs.containsKey(canonical)) {
                    throw new DatasetException(name, lineNo, fieldColumn, "both \"" + spelledAs.get(canonical) + "\" and \"" + field
                            + "\" give the " + canonical + ": keep one");
                }
                spelledAs.put(canonical, field);
                columns.put(canonical, column(p.currentTokenLocation()));
                if (value == JsonToken.START_ARRAY && canonical.equals("context")) {
                    chunks = chunks(name, lineNo, p, field);
                    values.put(canonical, ContextChunks.render(chunks));
                } else if (value == JsonToken.VALUE_STRING || (canonical.equals("id") && value.isNumeric())) {
                    values.put(canonical, p.getText());
                } else if (value != JsonToken.VALUE_NULL) {
                    throw new DatasetException(name, lineNo, column(p.currentTokenLocation()), "\"" + field + "\" must be a string, not "
                            + describe(value));
                }
            }
            if (p.nextToken() != null) {
                throw new DatasetException(name, lineNo, column(p.currentTokenLocation()),
                        "more than one JSON value on the line: write one object per line");
            }
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new DatasetException(name, lineNo, at == null ? 1 : column(at), "bad JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String column : required) {
            String v = values.get(column);
            if (!spelledAs.containsKey(column)) {
                throw new DatasetException(name, lineNo, 1, "missing \"" + column + "\"" + aliasHint(column));
            }
            if (v == null || JudgeRequest.isBlank(v)) {
                throw new DatasetException(name, lineNo, columns.get(column), "\"" + spelledAs.get(column) + "\" is " + (v == null ? "null" : "blank"));
            }
        }
        if (labels != null && humanScores == null) {
            throw new DatasetException(name, lineNo, 1, "missing \"" + HUMAN_SCORE + "\": grade the row on " + labels.metric() + " ("
                    + labels.minScore() + " to " + labels.maxScore() + "), e.g. \"" + HUMAN_SCORE + "\": 4, or [4, 5] for two labellers");
        }
        DatasetRow row = row(values, name, lineNo);
        if (conversation != null || chunks != null) {
            row = new DatasetRow(row.id(), row.question(), row.groundTruth(), row.answer(), row.context(), name, lineNo, conversation, chunks);
        }
        return new Entry(row, null, humanScores);
    }

    /** The conversation at the parser's value: an array of {@code {"role": ..., "content": ...}} objects, turns numbered from 1. */
    private static Conversation messages(String name, int lineNo, JsonParser p, JsonToken value) throws IOException {
        if (value != JsonToken.START_ARRAY) {
            throw new DatasetException(name, lineNo, column(p.currentTokenLocation()), "\"" + MESSAGES + "\" must be an array of"
                    + " {\"role\": \"user\", \"content\": \"...\"} objects, not " + describe(value));
        }
        int arrayColumn = column(p.currentTokenLocation());
        Conversation.Builder conversation = Conversation.builder();
        int turn = 0;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            turn++;
            int at = column(p.currentTokenLocation());
            if (t != JsonToken.START_OBJECT) {
                throw new DatasetException(name, lineNo, at, "message " + turn + " of \"" + MESSAGES + "\" must be an object such as"
                        + " {\"role\": \"user\", \"content\": \"...\"}, not " + describe(t));
            }
            Map<String, String> message = new HashMap<>();
            while ((t = p.nextToken()) != JsonToken.END_OBJECT) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                if (!field.equals("role") && !field.equals("content")) {
                    p.skipChildren();
                } else if (v != JsonToken.VALUE_STRING) {
                    throw new DatasetException(name, lineNo, column(p.currentTokenLocation()), "message " + turn + " has a \"" + field
                            + "\" that is " + describe(v) + ": write it as a string");
                } else {
                    message.put(field, p.getText());
                }
            }
            for (String field : List.of("role", "content")) {
                if (!message.containsKey(field)) {
                    throw new DatasetException(name, lineNo, at, "message " + turn + " has no \"" + field + "\": write each message as"
                            + " {\"role\": \"user\", \"content\": \"...\"}, the role one of system, user, assistant");
                }
            }
            try {
                conversation.turn(Role.of(message.get("role")), message.get("content"));
            } catch (IllegalArgumentException e) {
                throw new DatasetException(name, lineNo, at, "message " + turn + ": " + e.getMessage());
            }
        }
        if (turn == 0) {
            throw new DatasetException(name, lineNo, arrayColumn, "\"" + MESSAGES + "\" is an empty array: give the conversation's turns");
        }
        return conversation.build();
    }

    /** The ranked chunks at the parser's array, each a string that is not blank. */
    private static List<String> chunks(String name, int lineNo, JsonParser p, String field) throws IOException {
        int arrayColumn = column(p.currentTokenLocation());
        List<String> chunks = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t != JsonToken.VALUE_STRING) {
                throw new DatasetException(name, lineNo, column(p.currentTokenLocation()), "\"" + field + "\" holds " + describe(t)
                        + ": write each chunk as a string, best first");
            }
            chunks.add(p.getText());
        }
        try {
            return ContextChunks.requireChunks(chunks);
        } catch (IllegalArgumentException e) {
            throw new DatasetException(name, lineNo, arrayColumn, "\"" + field + "\": " + e.getMessage());
        }
    }

    /** The human scores at the parser's value: a whole number, or an array of them. */
    private static List<Integer> jsonHumanScores(String name, int lineNo, JsonParser p, JsonToken value, Labels labels) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            throw new DatasetException(name, lineNo, column(p.currentTokenLocation()), "\"" + HUMAN_SCORE + "\" is null: grade the row on "
                    + labels.metric() + " (" + labels.minScore() + " to " + labels.maxScore() + "), e.g. 4, or [4, 5] for two labellers");
        }
        if (value.isNumeric()) {
            return List.of(humanScore(name, lineNo, column(p.currentTokenLocation()), p.getText(), labels));
        }
        if (value != JsonToken.START_ARRAY) {
            throw new DatasetException(name, lineNo, column(p.currentTokenLocation()), "\"" + HUMAN_SCORE + "\" must be a whole number or"
                    + " an array of them, such as 4 or [4, 5], not " + describe(value));
        }
        int arrayColumn = column(p.currentTokenLocation());
        List<Integer> scores = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (!t.isNumeric()) {
                throw new DatasetException(name, lineNo, column(p.currentTokenLocation()), "\"" + HUMAN_SCORE + "\" holds "
                        + describe(t) + ": write each labeller's score as a whole number, such as [4, 5]");
            }
            scores.add(humanScore(name, lineNo, column(p.currentTokenLocation()), p.getText(), labels));
        }
        if (scores.isEmpty()) {
            throw new DatasetException(name, lineNo, arrayColumn, "\"" + HUMAN_SCORE + "\" is an empty array: give at least one score");
        }
        return scores;
    }

    /** One human score as written ({@code 4}, {@code 4.0}), a whole number within the rubric. */
    private static int humanScore(String name, int lineNo, int column, String written, Labels labels) {
        BigDecimal number;
        try {
            number = new BigDecimal(written.strip());
        } catch (NumberFormatException e) {
            throw new DatasetException(name, lineNo, column, "human score '" + written + "' is not a number: write a whole score of the"
                    + " rubric of " + labels.metric() + " (" + labels.minScore() + " to " + labels.maxScore() + ")");
        }
        if (number.stripTrailingZeros().scale() > 0) {
            throw new DatasetException(name, lineNo, column, "human score " + written + " is not a whole number: a human score is one of"
                    + " the levels of " + labels.metric() + " (" + labels.minScore() + " to " + labels.maxScore() + ")");
        }
        if (number.compareTo(BigDecimal.valueOf(labels.minScore())) < 0
                || number.compareTo(BigDecimal.valueOf(labels.maxScore())) > 0) {
            throw new DatasetException(name, lineNo, column, "human score " + written + " is outside the rubric of " + labels.metric()
                    + " (" + labels.minScore() + " to " + labels.maxScore() + "): grade on the metric's levels");
        }
        return number.intValueExact();
    }

    private static int column(JsonLocation location) {
        return Math.max(1, location.getColumnNr());
    }

    private static String describe(JsonToken token) {
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            default -> token.name().toLowerCase(Locale.ROOT);
        };
    }

    private static String aliasHint(String column) {
        List<String> names = ALIASES.entrySet().stream().filter(e -> e.getValue().equals(column)).map(Map.Entry::getKey).sorted().toList();
        return names.size() > 1 ? " (accepted names: " + String.join(", ", names) + ")" : "";
    }

    /** A quote that breaks the CSV leaves no way to tell where the next row starts, so its row is the last entry. */
    static List<Entry> readCsv(String name, String text, List<String> required) {
        return readCsv(name, text, required, null);
    }

    static List<Entry> readCsv(String name, String text, List<String> required, Labels labels) {
        LineIndex index = new LineIndex(text);
        CSVFormat format = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).setIgnoreEmptyLines(true).get();
        List<Entry> entries = new ArrayList<>();
        CSVParser parser;
        try {
            parser = CSVParser.parse(text, format);
        } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
            throw csvError(name, text, index, recordStart(index, 0, e), e);
        }
        try (parser) {
            Map<String, Integer> header = new LinkedHashMap<>();
            Map<String, String> spelledAs = new HashMap<>();
            List<String> headerNames = parser.getHeaderNames();
            for (int i = 0; i < headerNames.size(); i++) {
                String column = headerNames.get(i).strip();
                String canonical = ALIASES.get(column);
                if (canonical == null) {
                    continue;
                }
                if (spelledAs.containsKey(canonical)) {
                    throw new DatasetException(name, 1, index.columnOf(fieldStarts(text, 0).get(i)), "both \"" + spelledAs.get(canonical)
                            + "\" and \"" + column + "\" give the " + canonical + ": keep one");
                }
                spelledAs.put(canonical, column);
                header.put(canonical, i);
            }
            for (String column : required) {
                if (!header.containsKey(column)) {
                    throw new DatasetException(name, 1, 1, "the header has no \"" + column + "\" column" + aliasHint(column) + "; it has "
                            + String.join(", ", headerNames));
                }
            }
            int labelColumn = labels == null ? -1 : headerNames.stream().map(String::strip).toList().indexOf(HUMAN_SCORE);
            if (labels != null && labelColumn < 0) {
                throw new DatasetException(name, 1, 1, "the header has no \"" + HUMAN_SCORE + "\" column, which holds the people's scores"
                        + " (several separated by |); it has " + String.join(", ", headerNames));
            }
            int lastOffset = 0;
            var records = parser.iterator();
            while (true) {
                CSVRecord record;
                try {
                    if (!records.hasNext()) {
                        break;
                    }
                    record = records.next();
                } catch (UncheckedIOException | IllegalStateException e) {
                    int start = recordStart(index, lastOffset, e);
                    entries.add(Entry.bad(name, index.lineOf(start), csvError(name, text, index, start, e)));
                    break;
                }
                lastOffset = (int) record.getCharacterPosition();
                if (text.substring(lastOffset, recordEnd(text, lastOffset)).isBlank()) {
                    continue; // a line of spaces, no row: skipped as an empty line is, and as JSONL skips it
                }
                try {
                    DatasetRow row = csvRow(name, text, index, record, headerNames, header, spelledAs, required);
                    entries.add(new Entry(row, null, labels == null ? null : csvHumanScores(name, text, index, record, labelColumn, labels)));
                } catch (DatasetException e) {
                    entries.add(Entry.bad(name, index.lineOf(lastOffset), e));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return entries;
    }

    private static DatasetRow csvRow(String name, String text, LineIndex index, CSVRecord record, List<String> headerNames,
            Map<String, Integer> header, Map<String, String> spelledAs, List<String> required) {
        int offset = (int) record.getCharacterPosition();
        List<Integer> starts = fieldStarts(text, offset);
        if (record.size() != headerNames.size()) {
            int at = record.size() < headerNames.size() ? recordEnd(text, offset)
                    : starts.get(Math.min(headerNames.size(), starts.size() - 1));
            String missing = record.size() < headerNames.size() ? ": \"" + headerNames.get(record.size()) + "\" has no value" : "";
            throw new DatasetException(name, index.lineOf(at), index.columnOf(at), "the row has " + record.size() + " values but the header has "
                    + headerNames.size() + missing + (record.size() > headerNames.size() ? " (quote cells that contain commas)" : ""));
        }
        Map<String, String> values = new HashMap<>();
        header.forEach((column, i) -> values.put(column, record.get(i)));
        for (String column : required) {
            String v = values.get(column);
            if (v == null || JudgeRequest.isBlank(v)) {
                int at = starts.get(header.get(column));
                throw new DatasetException(name, index.lineOf(at), index.columnOf(at), "\"" + spelledAs.get(column) + "\" is blank");
            }
        }
        return row(values, name, index.lineOf(offset));
    }

    /** The human scores of a CSV row's cell: one or more whole numbers separated by {@code |}. */
    private static List<Integer> csvHumanScores(String name, String text, LineIndex index, CSVRecord record, int column, Labels labels) {
        int at = fieldStarts(text, (int) record.getCharacterPosition()).get(column);
        String cell = record.get(column);
        if (cell.isBlank()) {
            throw new DatasetException(name, index.lineOf(at), index.columnOf(at), "\"" + HUMAN_SCORE + "\" is blank: grade the row on "
                    + labels.metric() + " (" + labels.minScore() + " to " + labels.maxScore() + "), e.g. 4, or 4|5 for two labellers");
        }
        List<Integer> scores = new ArrayList<>();
        for (String written : cell.split("\\|", -1)) {
            if (written.isBlank()) {
                throw new DatasetException(name, index.lineOf(at), index.columnOf(at), "\"" + HUMAN_SCORE + "\" '" + cell + "' has an"
                        + " empty score: separate scores with a single |, e.g. 4|5");
            }
            scores.add(humanScore(name, index.lineOf(at), index.columnOf(at), written, labels));
        }
        return scores;
    }

    /** Where the record Commons CSV could not read starts: the line its message names, else {@code fromOffset}. */
    private static int recordStart(LineIndex index, int fromOffset, Exception e) {
        Matcher m = CSV_ERROR_LINE.matcher(String.valueOf(e.getMessage()));
        return m.find() ? index.offsetOfLine(Integer.parseInt(m.group(1) != null ? m.group(1) : m.group(2))) : fromOffset;
    }

    private static DatasetException csvError(String name, String text, LineIndex index, int start, Exception e) {
        int[] problem = quoteProblem(text, start);
        if (problem != null && problem[1] == 0) {
            return new DatasetException(name, index.lineOf(problem[0]), index.columnOf(problem[0]),
                    "a quoted value is never closed: end it with \" (and write a \" inside a quoted value as \"\")");
        }
        if (problem != null) {
            return new DatasetException(name, index.lineOf(problem[0]), index.columnOf(problem[0]),
                    "unexpected character after a closing quote: quote the whole value and write a \" inside it as \"\""
                            + unreadAfter(text, index, problem[0]));
        }
        return new DatasetException(name, index.lineOf(start), 1, "bad CSV: "
                + String.valueOf(e.getMessage()).replaceFirst("^IOException reading next record: ", "") + unreadAfter(text, index, start));
    }

    /** What a break at {@code offset} leaves unread: the lines after it that hold anything, or nothing when there are none. */
    private static String unreadAfter(String text, LineIndex index, int offset) {
        int line = index.lineOf(offset);
        int first = 0;
        int last = 0;
        for (int l = line + 1; l <= index.lines(); l++) {
            if (!index.line(text, l).isBlank()) {
                first = first == 0 ? l : first;
                last = l;
            }
        }
        if (first == 0) {
            return "";
        }
        return "; nothing after it can be read, so " + (first == last ? "line " + first + " is" : "lines " + first + " to " + last + " are")
                + " not run";
    }

    /**
     * Where a record starting at {@code from} breaks its quoting, to locate Commons CSV's error:
     * {@code {offset, 0}} for a quote never closed, {@code {offset, 1}} for a character after a
     * closing quote; {@code null} when the quoting is sound.
     */
    static int[] quoteProblem(String text, int from) {
        int i = from;
        boolean fieldStart = true;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (fieldStart && c == '"') {
                int open = i;
                i++;
                while (true) {
                    if (i >= text.length()) {
                        return new int[] {open, 0};
                    }
                    if (text.charAt(i) == '"') {
                        if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    i++;
                }
                if (i < text.length() && text.charAt(i) != ',' && text.charAt(i) != '\r' && text.charAt(i) != '\n') {
                    return new int[] {i, 1};
                }
                fieldStart = false;
                continue;
            }
            if (c == ',') {
                fieldStart = true;
            } else if (c == '\n' || c == '\r') {
                return null;
            } else {
                fieldStart = false;
            }
            i++;
        }
        return null;
    }

    /** Offsets where each field of the record starting at {@code from} begins (quote-aware). */
    static List<Integer> fieldStarts(String text, int from) {
        List<Integer> starts = new ArrayList<>();
        starts.add(from);
        boolean quoted = false;
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && c == ',') {
                starts.add(i + 1);
            } else if (!quoted && (c == '\n' || c == '\r')) {
                break;
            }
        }
        return starts;
    }

    /** The offset just past the last character of the record starting at {@code from} (quote-aware). */
    static int recordEnd(String text, int from) {
        boolean quoted = false;
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && (c == '\n' || c == '\r')) {
                return i;
            }
        }
        return text.length();
    }

    private static DatasetRow row(Map<String, String> values, String name, int line) {
        return new DatasetRow(blankToNull(values.get("id")), blankToNull(values.get("question")), blankToNull(values.get("ground_truth")),
                blankToNull(values.get("answer")), blankToNull(values.get("context")), name, line);
    }

    private static String blankToNull(String s) {
        return s == null || JudgeRequest.isBlank(s) ? null : s;
    }

    /** Offsets to 1-based lines and columns. */
    static final class LineIndex {
        private final int[] starts;

        LineIndex(String text) {
            List<Integer> s = new ArrayList<>();
            s.add(0);
            for (int i = 0; i < text.length(); i++) {
                if (text.charAt(i) == '\n') {
                    s.add(i + 1);
                }
            }
            starts = s.stream().mapToInt(Integer::intValue).toArray();
        }

        int lineOf(int offset) {
            int i = Arrays.binarySearch(starts, offset);
            return (i >= 0 ? i : -i - 2) + 1;
        }

        int columnOf(int offset) {
            return offset - starts[lineOf(offset) - 1] + 1;
        }

        int offsetOfLine(int line) {
            return starts[Math.max(0, Math.min(line, starts.length) - 1)];
        }

        int lines() {
            return starts.length;
        }

        /** The text of a line (1-based), without its line end. */
        String line(String text, int line) {
            int end = line < starts.length ? starts[line] - 1 : text.length();
            return text.substring(starts[line - 1], end);
        }
    }
}
