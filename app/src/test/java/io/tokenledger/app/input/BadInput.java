package io.tokenledger.app.input;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Generators of what a careless or hostile client sends: strings with NUL, control characters, odd unicode or a
 * 100 KB+ length; JSON values of the wrong type; bodies with fields missing, extra, of the wrong type, or not JSON
 * at all; ids that are no UUID or no one's; dates and instants that are past, far off, impossible or misformatted;
 * page, size and sort out of range; wrong content types. Valid values are mixed in, so some requests succeed.
 */
final class BadInput {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Above the 100 KB that any field of the API could sensibly take. */
    private static final int HUGE = 100 * 1024;

    private BadInput() {
    }

    // ---- text -----------------------------------------------------------------------------------------------

    /** A string no field expects: empty, blank, NUL and control characters, odd unicode, injections, huge. */
    static Arbitrary<String> text() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.of("", " ", "\t\n ", "\u0000", "a\u0000b", "\u0007\u001b[31m\u0008", "\r\n",
                        "\u2028\u2029", "\uFEFF", "\u202Eevil", "Z\u0301\u0327\u0358", "\uD83D\uDE00\uD83D\uDD11",
                        "\u540D\u524D", "\uD800", "\uDFFF", "'; DROP TABLE user_view; --", "<script>alert(1)</script>",
                        "${jndi:ldap://127.0.0.1/x}", "%s%n%x", "%00", "null", "undefined", "true", "0", "-1", "NaN",
                        "..\\..\\x", "\\", "\"", "\\u0000", "[]", "{}", "%", "_", "*", "?", "\uDBFF\uDFFF", "\uFFFE")),
                Tuple.of(3, Arbitraries.strings().all().ofMaxLength(40)),
                Tuple.of(3, Combinators.combine(Arbitraries.strings().alpha().ofMaxLength(8),
                        Arbitraries.of("\u0000", "\uD800", "\uDFFF", "\u0085", "\u2028", "\u001b", "\u200b", "\uFFFF",
                                "\uE000", "\u0378"), Arbitraries.strings().alpha().ofMaxLength(8))
                        .as((before, odd, after) -> before + odd + after)),
                Tuple.of(2, Arbitraries.strings().withCharRange('\u0000', '\u001f').withChars('\u007f', '\u0085')
                        .ofMinLength(1).ofMaxLength(12)),
                Tuple.of(1, huge()));
    }

    /** A string over 100 KB of one character, plain, accented, astral, or NUL. */
    static Arbitrary<String> huge() {
        return Combinators.combine(Arbitraries.of("a", "\u00e9", "\uD83D\uDE00", "\u0000", " ", "9"),
                Arbitraries.integers().between(HUGE, HUGE + 40 * 1024)).as((c, n) -> c.repeat(n / c.length()));
    }

    /** A string that may be valid (one of {@code valid}) or anything {@link #text()} gives. */
    static Arbitrary<String> textOr(String... valid) {
        return Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.of(valid)), Tuple.of(2, text()));
    }

    // ---- JSON -----------------------------------------------------------------------------------------------

    /** The string as a JSON string literal (control characters escaped as JSON escapes them). */
    static String quote(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A JSON value where a string (or an enum name) belongs: numbers, booleans, arrays, objects. */
    static Arbitrary<String> wrongType() {
        return Arbitraries.of("0", "-1", "1.5", "1e309", "-0", "123456789012345678901234567890", "true", "false",
                "[]", "[1,2]", "[\"ADMIN\"]", "{}", "{\"a\":1}", "{\"value\":\"x\"}", "[[[]]]");
    }

    /** One field of a JSON body: its name and generator of valid JSON values. */
    record Field(String name, Arbitrary<String> valid) {
    }

    /**
     * A generated body, and whether the API must refuse it as malformed JSON or as a value of the wrong type (400)
     * whatever else is wrong with the request, when it is sent as application/json to an endpoint that reads it.
     */
    record Body(String json, boolean malformed) {
        @Override
        public String toString() {
            return Probe.shorten(json);
        }
    }

    /** One member of a generated object. */
    private record Member(String name, String value, boolean wrongType) {
    }

    /**
     * A body for an endpoint that takes these fields: mostly a JSON object of valid fields but one (or none, or
     * several) that is missing, null, a bad string or of the wrong type, with extra fields now and then; else that
     * object made malformed, or a body that is no object at all (empty, a scalar, nested too deep).
     */
    static Arbitrary<Body> body(Field... fields) {
        List<String> known = Arrays.stream(fields).map(Field::name).toList();
        List<Arbitrary<Optional<Member>>> valid = new ArrayList<>();
        List<Arbitrary<Optional<Member>>> bad = new ArrayList<>();
        for (Field field : fields) {
            valid.add(field.valid().map(v -> Optional.of(new Member(field.name(), v, false))));
            bad.add(Arbitraries.frequencyOf(
                    Tuple.of(2, Arbitraries.just(Optional.<Member>empty())),
                    Tuple.of(1, Arbitraries.just(Optional.of(new Member(field.name(), "null", false)))),
                    Tuple.of(4, text().map(t -> Optional.of(new Member(field.name(), quote(t), false)))),
                    Tuple.of(3, wrongType().map(v -> Optional.of(new Member(field.name(), v, true))))));
        }
        int n = fields.length;
        Arbitrary<List<Boolean>> broken = Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.just(Collections.nCopies(n, false))),
                Tuple.of(5, Arbitraries.integers().between(0, n - 1).map(i -> IntStream.range(0, n)
                        .mapToObj(j -> j == i).toList())),
                Tuple.of(2, Arbitraries.of(true, false).list().ofSize(n)));
        Arbitrary<List<Member>> extras = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.just(List.<Member>of())),
                Tuple.of(1, Combinators.combine(Arbitraries.of("id", "userId", "status", "createdBy", "@class",
                                "__proto__", "role", "", "\u0000", "token", "hash"), wrongType())
                        .as((name, value) -> new Member(name, value, true)).list().ofMinSize(1).ofMaxSize(3)));
        Arbitrary<Body> object = Combinators.combine(Combinators.combine(valid).as(List::copyOf),
                        Combinators.combine(bad).as(List::copyOf), broken, extras)
                .as((good, wrong, mask, extra) -> {
                    List<Member> all = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        (mask.get(i) ? wrong : good).get(i).ifPresent(all::add);
                    }
                    all.addAll(extra);
                    boolean duplicated = all.stream().map(Member::name).distinct().count() < all.size();
                    boolean mistyped = all.stream().anyMatch(m -> m.wrongType() && known.contains(m.name()));
                    String json = all.stream().map(m -> quote(m.name()) + ":" + m.value())
                            .collect(Collectors.joining(",", "{", "}"));
                    return new Body(json, duplicated || mistyped);
                });
        return Arbitraries.frequencyOf(
                Tuple.of(12, object),
                Tuple.of(4, object.flatMap(BadInput::malformed)),
                Tuple.of(2, notAnObject()));
    }

    /** The JSON text broken in one of the ways JSON gets broken (unless that way leaves it as it was). */
    static Arbitrary<Body> malformed(Body body) {
        List<UnaryOperator<String>> breaks = List.of(
                j -> j.substring(0, j.length() / 2),
                j -> j.substring(0, j.length() - 1),
                j -> j.replace('"', '\''),
                j -> j.length() > 2 ? j.substring(0, j.length() - 1) + ",}" : j + ",",
                j -> j + "}{",
                j -> j + " trailing",
                j -> "/* comment */" + j,
                j -> j.replaceAll("\"([^\"\\\\]*)\":", "$1:"),
                j -> j.replaceFirst("\"", "\"\u0001"),
                j -> j.replaceFirst("\"", "\"\\\\x41"),
                j -> j.replaceFirst("\"", "\"\\\\uZZZZ"),
                j -> j.replace(":", "="),
                j -> j.replaceFirst("\\{", "{{"),
                j -> "\uFEFF\uFEFF" + j,
                j -> j.replace(",", ",,"),
                j -> j + j);
        return Arbitraries.of(breaks).map(b -> {
            String broken = b.apply(body.json());
            return broken.equals(body.json()) ? body : new Body(broken, true);
        });
    }

    /** A body that is no JSON object: nothing, a scalar, an array, not JSON, nesting deeper than parsers allow. */
    static Arbitrary<Body> notAnObject() {
        Arbitrary<Body> valid = Arbitraries.of("", " ", "null", "{}", "{\"\":\"\"}").map(j -> new Body(j, false));
        Arbitrary<Body> refused = Arbitraries.of("[]", "[{}]", "0", "-1", "\"text\"", "true", "{", "}", "NaN",
                "{\"a\":NaN}", "{\"a\":Infinity}", "{'a':1}", "\u0000", "not json", "<xml/>", "a=b&c=d",
                "{\"a\":1,\"a\":2}", "{} {}", "[".repeat(3000) + "]".repeat(3000),
                "{\"a\":".repeat(2000) + "1" + "}".repeat(2000), "9".repeat(5000)).map(j -> new Body(j, true));
        return Arbitraries.frequencyOf(Tuple.of(1, valid), Tuple.of(3, refused));
    }

    /**
     * A JSON body over the server's size limit (64 KiB), well formed: a field of 100 KiB or 1.5 MiB, the endpoint's
     * own or one it does not know. Up to the 2 MiB Tomcat drains after refusing one, so the client, which sends its
     * whole body before it reads, is sure to read the answer rather than a reset connection.
     */
    static Arbitrary<Body> oversize(String field) {
        return Arbitraries.of(Tuple.of(field, 100), Tuple.of("unknown", 100), Tuple.of(field, 1536)).map(t ->
                new Body("{" + quote(t.get1()) + ":\"" + "x".repeat(t.get2() * 1024) + "\"}", false));
    }

    /** The Content-Type of a body: JSON mostly, else something else the server must refuse. */
    static Arbitrary<String> contentType() {
        return Arbitraries.frequencyOf(
                Tuple.of(10, Arbitraries.just("application/json")),
                Tuple.of(3, Arbitraries.of("text/plain", "application/xml", "application/x-www-form-urlencoded",
                        "multipart/form-data", "multipart/form-data; boundary=x", "application/json; charset=UTF-16",
                        "application/json; charset=no-such-charset", "application/*", "*/*", "garbage", ";;;",
                        "application/problem+json", "application/json-patch+json", "text/csv",
                        "application/octet-stream", "application/json; charset=ISO-8859-1")));
    }

    // ---- ids, dates, instants, pages ------------------------------------------------------------------------

    /** A random UUID: an id no one has. */
    static Arbitrary<String> unknownUuid() {
        return Arbitraries.randomValue(random -> new UUID(random.nextLong(), random.nextLong()).toString());
    }

    /** A path segment that is no UUID, already percent-encoded where it needs to be. */
    static Arbitrary<String> badIdSegment() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of("not-a-uuid", "0", "-1", "123", "00000000-0000-0000-0000-000000000000",
                        "1-2-3-4-5", "zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz", "6ba7b810-9dad-11d1-80b4-00c04fd430c8-0",
                        "6ba7b8109dad11d180b400c04fd430c8", "%7B6ba7b810-9dad-11d1-80b4-00c04fd430c8%7D", "%00", "%2F",
                        "%2e%2e", "..", ";x=1", "%3B", "%25", "%20", "%0A", "%0D%0A", "%C0%AE", "%FF", "%E2%82",
                        "%5C", "null", "undefined", "me", "self", "..;", "%2e")),
                Tuple.of(3, text().filter(t -> !t.isEmpty() && t.length() < 2000).map(Ledger::segment)));
    }

    /** A path id segment, and whether it is a well-formed UUID that names nothing (which the API must answer 404). */
    record Id(String segment, boolean unknown) {
        @Override
        public String toString() {
            return segment;
        }
    }

    /** An id segment: one of the valid ones, an unknown UUID, or no UUID at all. */
    static Arbitrary<Id> id(String... valid) {
        Arbitrary<Id> unknown = unknownUuid().map(u -> new Id(u, true));
        Arbitrary<Id> bad = badIdSegment().map(b -> new Id(b, false));
        if (valid.length == 0) {
            return Arbitraries.frequencyOf(Tuple.of(2, unknown), Tuple.of(3, bad));
        }
        return Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.of(valid).map(v -> new Id(v, false))),
                Tuple.of(1, Arbitraries.of(valid).map(v -> new Id(v.toUpperCase(), false))),
                Tuple.of(2, unknown),
                Tuple.of(3, bad));
    }

    /** An expiry: valid dates and instants, past, today, beyond the maximum lifetime, far off, or misformatted. */
    static Arbitrary<String> expiry() {
        Instant now = Instant.now();
        Arbitrary<String> days = Arbitraries.integers().between(-2000, 200_000).map(d -> now.plus(d, ChronoUnit.DAYS))
                .flatMap(at -> Arbitraries.of(at.toString(), at.truncatedTo(ChronoUnit.SECONDS).toString(),
                        LocalDate.ofInstant(at, ZoneOffset.UTC).toString(),
                        at.atOffset(ZoneOffset.ofHours(5)).toString(), " " + LocalDate.ofInstant(at, ZoneOffset.UTC)));
        return Arbitraries.frequencyOf(
                Tuple.of(4, days),
                Tuple.of(3, Arbitraries.of("+999999999-12-31T23:59:59.999999999Z", "-999999999-01-01T00:00:00Z",
                        "9999-12-31", "0000-01-01", "1970-01-01", "2026-02-30", "2026-13-01", "2026-1-1", "31/12/2026",
                        "12/31/2026", "1700000000", "1700000000000", "2026-01-31T25:00:00Z",
                        "2026-01-31T12:00:00+25:00", "2026-01-31T12:00:00", "2026-01-31 12:00:00Z", "P1D", "now",
                        "tomorrow", "0000-00-00", "2030-01-31t12:00:00z", "+12026-01-01", "2026-W05-1", "2026-031",
                        "", " ", "\u0000", now.plus(366, ChronoUnit.DAYS).toString(),
                        now.plus(1, ChronoUnit.DAYS).toString(), now.minusSeconds(1).toString())),
                Tuple.of(1, text()));
    }

    /** An instant for a filter: valid, past, far off, or misformatted. */
    static Arbitrary<String> instant() {
        return expiry();
    }

    /** A page number: valid, negative, beyond int, not a number. */
    static Arbitrary<String> page() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of("0", "1", "-1", "2147483647", "2147483648", "-2147483648",
                        "99999999999999999999", "1.5", "1e3", "abc", "", " 1", "0x10", "+5", "\u0663", "\u0000",
                        "10737419", "21474837")),
                Tuple.of(1, Arbitraries.integers().map(Object::toString)),
                Tuple.of(1, text()));
    }

    /** A page size: valid, zero, negative, over 200, beyond int, not a number. */
    static Arbitrary<String> size() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of("1", "50", "200", "201", "0", "-1", "2147483647", "-2147483648",
                        "99999999999", "2.5", "ten", "", "1e2")),
                Tuple.of(1, Arbitraries.integers().map(Object::toString)),
                Tuple.of(1, text()));
    }

    /** A sort: a valid field with or without a direction, unknown fields and directions, odd shapes. */
    static Arbitrary<String> sort(String... fields) {
        Arbitrary<String> valid = Combinators.combine(Arbitraries.of(fields),
                Arbitraries.of("", ",asc", ",desc", ",DESC", ", asc")).as(String::concat);
        return Arbitraries.frequencyOf(
                Tuple.of(3, valid),
                Tuple.of(3, Arbitraries.of("password_hash", "id;DROP TABLE x", "name,sideways", ",", ",,", "asc",
                        fields[0] + ",asc,desc", fields[0].toUpperCase(), "1", "-" + fields[0], fields[0] + " desc",
                        "(select 1)", "secret_hash,asc", "computed_status", fields[0] + ",")),
                Tuple.of(1, text()));
    }

    /**
     * A query string ({@code ?a=b&...}, or empty) of the given parameters, each absent (most often) or one of
     * its values, URL-encoded; a parameter is sometimes given twice.
     */
    @SafeVarargs
    static Arbitrary<String> query(Tuple.Tuple2<String, Arbitrary<String>>... params) {
        List<Arbitrary<List<String>>> parts = new ArrayList<>();
        for (Tuple.Tuple2<String, Arbitrary<String>> param : params) {
            Arbitrary<String> one = param.get2().map(v -> param.get1() + "=" + Ledger.param(v));
            parts.add(Arbitraries.frequencyOf(
                    Tuple.of(3, Arbitraries.just(List.<String>of())),
                    Tuple.of(3, one.map(List::of)),
                    Tuple.of(1, Combinators.combine(one, one).as(List::of))));
        }
        return Combinators.combine(parts).as(lists -> {
            List<String> all = lists.stream().flatMap(List::stream).toList();
            return all.isEmpty() ? "" : "?" + String.join("&", all);
        });
    }

    /** A query parameter and its values. */
    static Tuple.Tuple2<String, Arbitrary<String>> param(String name, Arbitrary<String> values) {
        return Tuple.of(name, values);
    }

    /** An enum parameter: a valid constant, its lower case, an unknown one, or any bad text. */
    static Arbitrary<String> enumValue(String... constants) {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of(constants)),
                Tuple.of(1, Arbitraries.of(constants).map(String::toLowerCase)),
                Tuple.of(2, Arbitraries.of("UNKNOWN", "ALL", "*", "0", "-1", "ACTIVE,REVOKED", "\u0000", "")),
                Tuple.of(1, text()));
    }
}
