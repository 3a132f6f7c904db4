package io.sensorcast.connectors.replay;

/**
 * How fast a replay publishes: at a multiple of event-time speed, at a fixed record rate, or as
 * fast as the broker takes it.
 */
public sealed interface Pacing {

    /** Nanoseconds after the replay's start at which the record may be sent. */
    long dueNanos(long index, long eventTime, long firstEventTime);

    /** Event time passes {@code factor} times faster than wall time (60 = an hour a minute). */
    record Speed(double factor) implements Pacing {
        public Speed {
            if (!(factor > 0) || Double.isInfinite(factor)) {
                throw new IllegalArgumentException(
                        "speed must be a finite factor > 0, got " + factor);
            }
        }

        @Override
        public long dueNanos(long index, long eventTime, long firstEventTime) {
            return (long) ((eventTime - firstEventTime) * 1e6 / factor);
        }
    }

    /** A fixed number of records per second. */
    record Rate(double perSecond) implements Pacing {
        public Rate {
            if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
                throw new IllegalArgumentException(
                        "rate must be a finite number > 0, got " + perSecond);
            }
        }

        @Override
        public long dueNanos(long index, long eventTime, long firstEventTime) {
            return (long) (index * 1e9 / perSecond);
        }
    }

    /** No pacing. */
    record Max() implements Pacing {
        @Override
        public long dueNanos(long index, long eventTime, long firstEventTime) {
            return 0;
        }
    }

    /** Parses {@code 60x} (speed), {@code 500/s} (rate) or {@code max}. */
    static Pacing parse(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        try {
            if (t.equals("max")) {
                return new Max();
            }
            if (t.endsWith("x")) {
                return new Speed(Double.parseDouble(t.substring(0, t.length() - 1)));
            }
            if (t.endsWith("/s")) {
                return new Rate(Double.parseDouble(t.substring(0, t.length() - 2)));
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(
                "pacing must be <factor>x (e.g. 60x), <n>/s (e.g. 500/s) or max; got '"
                        + text
                        + "'");
    }
}
