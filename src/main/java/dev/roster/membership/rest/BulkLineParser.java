package dev.roster.membership.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.roster.error.JsonInputExceptionMapper.JsonInputMessages;
import dev.roster.error.Problem;
import dev.roster.membership.service.BulkLine;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

/** Parses and validates one NDJSON line into a member to upsert, or a rejection naming what is wrong. */
@ApplicationScoped
public class BulkLineParser {

    private final ObjectReader reader;
    private final MemberBodies bodies;

    public BulkLineParser(ObjectMapper mapper, MemberBodies bodies) {
        this.reader = mapper.readerFor(MemberInput.class);
        this.bodies = bodies;
    }

    BulkLine parse(NdjsonLines.Line line) {
        if (line.tooLong()) {
            return new BulkLine.Rejected(line.number(), "the line is longer than the limit for one member");
        }
        String text = new String(line.bytes(), StandardCharsets.UTF_8);
        try {
            MemberInput input = reader.readValue(text);
            List<Problem.Violation> violations = bodies.violations(input);
            if (!violations.isEmpty()) {
                return new BulkLine.Rejected(
                        line.number(),
                        violations.stream()
                                .map(v -> v.field() + " " + v.message())
                                .collect(Collectors.joining("; ")));
            }
            return new BulkLine.Upsert(line.number(), input.name(), input.team(), input.email(), input.role());
        } catch (JsonProcessingException e) {
            return new BulkLine.Rejected(line.number(), JsonInputMessages.describe(e));
        }
    }
}
