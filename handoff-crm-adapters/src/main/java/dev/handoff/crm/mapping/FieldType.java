package dev.handoff.crm.mapping;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What a mapped value is converted to before it is put in a CRM field. Written in lower case in a mapping. */
public enum FieldType {
    /** Text; objects and arrays become their JSON text. */
    STRING,
    /** A whole number (a fraction is rejected, not rounded). */
    INTEGER,
    /** A decimal number, kept exactly. */
    DECIMAL,
    /** {@code true}/{@code false} (also from the strings "true"/"false", any case). */
    BOOLEAN,
    /** An ISO-8601 instant ({@code 2026-03-04T15:00:00Z}). */
    DATETIME,
    /** Milliseconds since the epoch, as a number (HubSpot timestamps). */
    EPOCH_MILLIS,
    /** An ISO-8601 date ({@code 2026-03-04}, in UTC). */
    DATE,
    /** The JSON value as it is. */
    JSON;

    /** The name used in mapping files. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Optional<FieldType> parse(String id) {
        return Arrays.stream(values()).filter(t -> t.id().equals(id)).findFirst();
    }

    static String ids() {
        return Arrays.stream(values()).map(FieldType::id).toList().toString();
    }
}
