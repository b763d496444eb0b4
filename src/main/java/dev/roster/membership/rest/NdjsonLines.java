package dev.roster.membership.rest;

import io.smallrye.mutiny.Multi;
import io.vertx.mutiny.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a byte stream into numbered lines at {@code \n} (safe in UTF-8), holding at most one line. A line
 * longer than the limit is reported as too long (its bytes are dropped as they come) instead of buffered.
 */
final class NdjsonLines {

    /** One line: its 1-based number and bytes, or {@code tooLong}. */
    record Line(int number, byte[] bytes, boolean tooLong) {

        /** Blank lines (only spaces, tabs or a CR) are skipped. */
        boolean blank() {
            if (tooLong) {
                return false;
            }
            for (byte b : bytes) {
                if (b != ' ' && b != '\t' && b != '\r') {
                    return false;
                }
            }
            return true;
        }
    }

    private final int maxLineBytes;
    private final ByteArrayOutputStream current = new ByteArrayOutputStream();
    private int number = 1;
    private boolean overflow;

    private NdjsonLines(int maxLineBytes) {
        this.maxLineBytes = maxLineBytes;
    }

    static Multi<Line> split(Multi<Buffer> body, int maxLineBytes) {
        NdjsonLines splitter = new NdjsonLines(maxLineBytes);
        return body.onItem().transformToIterable(splitter::feed).onCompletion().continueWith(splitter::finish);
    }

    private List<Line> feed(Buffer buffer) {
        List<Line> lines = new ArrayList<>();
        byte[] bytes = buffer.getBytes();
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                append(bytes, start, i);
                lines.add(take());
                start = i + 1;
            }
        }
        append(bytes, start, bytes.length);
        return lines;
    }

    private List<Line> finish() {
        return current.size() > 0 || overflow ? List.of(take()) : List.of();
    }

    private void append(byte[] bytes, int from, int to) {
        if (overflow || to <= from) {
            return;
        }
        if (current.size() + (to - from) > maxLineBytes) {
            overflow = true;
            current.reset();
            return;
        }
        current.write(bytes, from, to - from);
    }

    private Line take() {
        Line line = new Line(number++, overflow ? null : current.toByteArray(), overflow);
        current.reset();
        overflow = false;
        return line;
    }
}
