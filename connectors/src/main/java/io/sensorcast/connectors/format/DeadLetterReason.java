package io.sensorcast.connectors.format;

/** Why a record went to the dead-letter topic. Stable codes: consumers may switch on them. */
public enum DeadLetterReason {
    /** The record has no value (a tombstone). */
    EMPTY_PAYLOAD,
    /** The value is larger than the configured maximum. */
    PAYLOAD_TOO_LARGE,
    /** The value is not valid UTF-8 JSON, or not a JSON object. */
    MALFORMED_JSON,
    /** A required field ({@code sensor}, {@code ts}, {@code value}/{@code values}) is absent. */
    MISSING_FIELD,
    /** A field has the wrong JSON type (e.g. a string where a number belongs). */
    WRONG_TYPE,
    /** A value is NaN or infinite (JSON has no such numbers, but {@code "NaN"} strings do). */
    NON_FINITE_VALUE,
    /** A value's magnitude exceeds the configured maximum. */
    VALUE_OUT_OF_RANGE,
    /** The timestamp is neither ISO-8601 nor epoch milliseconds. */
    UNPARSEABLE_TIMESTAMP,
    /** The timestamp is before 1970-01-01T00:00:00Z. */
    TIMESTAMP_BEFORE_EPOCH,
    /** The timestamp is further in the future than the configured horizon. */
    TIMESTAMP_IN_FUTURE,
    /**
     * A feature name contains {@code @}, which names the job's seasonal channels ({@code
     * value@1d}).
     */
    BAD_FEATURE_NAME,
    /** The record key or the sensor id is empty, or they disagree. */
    BAD_SENSOR_ID,
    /** Anything else the parser did not expect; the message says what. */
    UNEXPECTED
}
