package io.tokenledger.app.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Reads the instants of stored events (ISO-8601 text in UTC, {@code 2026-12-03T15:37:29.123Z}, as the JSR-310
 * module writes them) without {@code DateTimeFormatter}: its general parser was more than half of the time Jackson
 * spent decoding an event's payload, which bounds how fast a read model is rebuilt from the event store. Only text
 * of exactly that form is read here, to the same {@link Instant} the formatter gives; anything else (another offset,
 * lower case, a leap second, a number, an impossible date) goes to the JSR-310 module's own deserializer, which
 * reads or refuses it as before. A property with its own format ({@code @JsonFormat}) is left wholly to that
 * deserializer.
 */
final class IsoInstants {
    private IsoInstants() {
    }

    /** A module that puts the fast path in front of whatever deserializer the mapper has for {@link Instant}. */
    static SimpleModule module() {
        SimpleModule module = new SimpleModule("iso-instants");
        module.setDeserializerModifier(new BeanDeserializerModifier() {
            @Override
            public JsonDeserializer<?> modifyDeserializer(DeserializationConfig config, BeanDescription description,
                                                          JsonDeserializer<?> deserializer) {
                return description.getBeanClass() == Instant.class ? new Fast(deserializer) : deserializer;
            }
        });
        return module;
    }

    /**
     * The instant written as {@code uuuu-MM-ddTHH:mm:ss[.fraction]Z} (a fraction of one to nine digits), or null if
     * the text is not exactly of that form or names no valid time.
     */
    static Instant parse(String text) {
        int length = text.length();
        if (length < 20 || length == 21 || length > 30 || text.charAt(length - 1) != 'Z'
                || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
                || text.charAt(13) != ':' || text.charAt(16) != ':') {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 7);
        int day = digits(text, 8, 10);
        int hour = digits(text, 11, 13);
        int minute = digits(text, 14, 16);
        int second = digits(text, 17, 19);
        if (year < 0 || month < 0 || day < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0
                || second > 59) {
            return null;
        }
        int nanos = 0;
        if (length > 20) {
            if (text.charAt(19) != '.') {
                return null;
            }
            int fraction = digits(text, 20, length - 1);
            if (fraction < 0) {
                return null;
            }
            nanos = fraction;
            for (int i = length - 1 - 20; i < 9; i++) {
                nanos *= 10;
            }
        }
        long epochDay;
        try {
            epochDay = LocalDate.of(year, month, day).toEpochDay();
        } catch (DateTimeException e) {
            return null;
        }
        return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
    }

    /** The decimal number written in {@code [from, to)} (at most nine digits), or -1 if any is not a digit. */
    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            int digit = text.charAt(i) - '0';
            if (digit < 0 || digit > 9) {
                return -1;
            }
            value = value * 10 + digit;
        }
        return value;
    }

    private static final class Fast extends DelegatingDeserializer {
        Fast(JsonDeserializer<?> delegate) {
            super(delegate);
        }

        /** A property with a format of its own gets the module's deserializer as configured for it, alone. */
        @Override
        protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> contextual) {
            return contextual;
        }

        @Override
        public Object deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (parser.hasToken(JsonToken.VALUE_STRING)) {
                Instant instant = parse(parser.getText());
                if (instant != null) {
                    return instant;
                }
            }
            return super.deserialize(parser, context);
        }
    }
}
