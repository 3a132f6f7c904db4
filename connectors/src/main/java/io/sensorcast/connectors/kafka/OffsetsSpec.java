package io.sensorcast.connectors.kafka;

import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/** Parses {@code earliest | latest | committed-or-earliest | timestamp:<epoch ms>}. */
public final class OffsetsSpec {

    private OffsetsSpec() {}

    public static OffsetsInitializer parse(String key, String spec) {
        switch (spec) {
            case "earliest":
                return OffsetsInitializer.earliest();
            case "latest":
                return OffsetsInitializer.latest();
            case "committed-or-earliest":
                return OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
            default:
                if (spec.startsWith("timestamp:")) {
                    try {
                        long ts = Long.parseLong(spec.substring("timestamp:".length()));
                        if (ts >= 0) {
                            return OffsetsInitializer.timestamp(ts);
                        }
                    } catch (NumberFormatException e) {
                        // fall through to the error below
                    }
                }
                throw new IllegalArgumentException(
                        key
                                + " must be one of earliest, latest, committed-or-earliest,"
                                + " timestamp:<epoch ms >= 0>; got '"
                                + spec
                                + "'");
        }
    }
}
