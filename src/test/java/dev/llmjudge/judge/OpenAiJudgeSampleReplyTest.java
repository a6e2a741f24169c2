package dev.llmjudge.judge;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.core.ObjectMappers;
import org.junit.jupiter.api.Test;

/** The sample reply the judge reads ahead, so that the first real replies find the JSON mapper ready, is a valid reply. */
class OpenAiJudgeSampleReplyTest {
    @Test
    void should_read_the_sample_reply_as_a_verdict_through_the_sdk() throws Exception {
        VerdictParser.ParsedReply reply = OpenAiJudge.readSampleReply(ObjectMappers.jsonMapper());

        assertThat(reply.score()).isEqualTo(5);
        assertThat(reply.justification()).isEqualTo("Same meaning.");
    }
}
