package io.sensorcast.connectors.format;

/**
 * What the reading deserializer emits for every Kafka record: exactly one of a {@link
 * SensorReading} or a {@link DeadLetter}, so a bad record travels on instead of failing the job.
 */
public final class ParsedRecord {

    public SensorReading reading;
    public DeadLetter deadLetter;

    public ParsedRecord() {}

    public static ParsedRecord of(SensorReading reading) {
        ParsedRecord r = new ParsedRecord();
        r.reading = reading;
        return r;
    }

    public static ParsedRecord of(DeadLetter deadLetter) {
        ParsedRecord r = new ParsedRecord();
        r.deadLetter = deadLetter;
        return r;
    }

    public boolean isValid() {
        return reading != null;
    }
}
