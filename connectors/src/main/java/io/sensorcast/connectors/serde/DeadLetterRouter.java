package io.sensorcast.connectors.serde;

import io.sensorcast.connectors.format.DeadLetter;
import io.sensorcast.connectors.format.ParsedRecord;
import io.sensorcast.connectors.format.SensorReading;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Splits parsed records: readings go on, dead letters to the {@link #DEAD_LETTERS} side output (and
 * from there to the dead-letter topic).
 */
public final class DeadLetterRouter extends ProcessFunction<ParsedRecord, SensorReading> {

    private static final long serialVersionUID = 1L;

    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters") {
                private static final long serialVersionUID = 1L;
            };

    @Override
    public void processElement(ParsedRecord value, Context ctx, Collector<SensorReading> out) {
        if (value.isValid()) {
            out.collect(value.reading);
        } else {
            ctx.output(DEAD_LETTERS, value.deadLetter);
        }
    }
}
