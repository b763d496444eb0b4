package dev.roster.cache.internal.redis;

import dev.roster.cache.Tag;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The value of an announcement: tags as text, one per line, kind and value percent-encoded and separated by a
 * space; a tag without value has no space. No value can make one tag look like another or like two. {@value
 * #APPLIED} (which no encoded tag can be) marks an announcement whose writer applied it.
 */
final class AnnouncedTags {

    static final String APPLIED = "!applied";

    private AnnouncedTags() {}

    static String encode(List<Tag> tags) {
        StringBuilder out = new StringBuilder();
        for (Tag tag : tags) {
            if (!out.isEmpty()) {
                out.append('\n');
            }
            out.append(URLEncoder.encode(tag.kind(), StandardCharsets.UTF_8));
            if (tag.value() != null) {
                out.append(' ').append(URLEncoder.encode(tag.value(), StandardCharsets.UTF_8));
            }
        }
        return out.toString();
    }

    static List<Tag> decode(String text) {
        List<Tag> tags = new ArrayList<>();
        if (text.isEmpty() || APPLIED.equals(text)) {
            return tags;
        }
        for (String line : text.split("\n", -1)) {
            int space = line.indexOf(' ');
            tags.add(
                    space < 0
                            ? Tag.of(decodePart(line))
                            : Tag.of(decodePart(line.substring(0, space)), decodePart(line.substring(space + 1))));
        }
        return tags;
    }

    private static String decodePart(String part) {
        return URLDecoder.decode(part, StandardCharsets.UTF_8);
    }
}
