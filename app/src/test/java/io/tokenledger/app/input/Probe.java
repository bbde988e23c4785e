package io.tokenledger.app.input;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * One generated request: method, path with its query string, body (null for none), extra headers, and the status
 * API.md prescribes for it when the generator knows (400 for malformed JSON, 404 for an unknown id, 413 for a body
 * over the size limit), else null.
 * Printed short, with control characters escaped, so a falsified sample reads well in the test report.
 */
record Probe(String method, String path, String body, Map<String, String> headers, Integer expected) {
    private static final int SHOWN = 300;
    /** {@code tokenledger.http.max-body-size}: a larger body is refused 413 before anything else looks at it. */
    static final int MAX_BODY = 64 * 1024;

    Probe {
        headers = Map.copyOf(headers);
        if (body != null && body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_BODY) {
            expected = 413;
        }
    }

    static Probe of(String method, String path) {
        return new Probe(method, path, null, Map.of(), null);
    }

    static Probe of(String method, String path, String body, String contentType) {
        return new Probe(method, path, body, contentType == null ? Map.of() : Map.of("Content-Type", contentType),
                null);
    }

    Probe withHeader(String name, String value) {
        java.util.HashMap<String, String> all = new java.util.HashMap<>(headers);
        all.put(name, value);
        return new Probe(method, path, body, all, expected);
    }

    /** The same request, which must be answered with this status. */
    Probe expecting(int status) {
        return new Probe(method, path, body, headers, status);
    }

    /** The same request, answered 400 if the body is malformed and sent as JSON (every endpoint that reads one). */
    Probe expectingMalformed(BadInput.Body read) {
        return read != null && read.malformed() && "application/json".equals(headers.get("Content-Type"))
                ? expecting(400) : this;
    }

    @Override
    public String toString() {
        String shownHeaders = headers.entrySet().stream().map(e -> e.getKey() + ": " + shorten(e.getValue()))
                .collect(Collectors.joining(", ", "{", "}"));
        return method + " " + shorten(path) + " " + shownHeaders + (body == null ? "" : " body=" + shorten(body))
                + (expected == null ? "" : " (must be " + expected + ")");
    }

    /** The text with control characters escaped, cut in the middle when it is long (saying how long it was). */
    static String shorten(String text) {
        if (text == null) {
            return "null";
        }
        int half = SHOWN / 2;
        String cut = text.length() <= SHOWN ? text
                : text.substring(0, half) + "…[" + text.length() + " chars]…" + text.substring(text.length() - half);
        StringBuilder shown = new StringBuilder(cut.length() + 16);
        cut.codePoints().forEach(c -> {
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == 0x2028 || c == 0x2029) {
                shown.append(String.format("\\u%04x", c));
            } else {
                shown.appendCodePoint(c);
            }
        });
        return shown.toString();
    }
}
