package io.sensorcast.evaluation.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.sensorcast.connectors.format.ForecastRecord;
import io.sensorcast.connectors.format.IsoInstants;
import io.sensorcast.connectors.format.ScoreRecord;
import io.sensorcast.connectors.serde.JsonFormats;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * {@code sensorcast bench-json}: the job's two per-reading outputs, forecasts and scores, written
 * as JSON three ways on the same records: the job's own writer ({@link JsonFormats#forecast},
 * {@link JsonFormats#score}), Jackson's streaming {@link JsonGenerator} field by field, and
 * Jackson's {@code ObjectMapper} record mapping. The three must write the same bytes (checked
 * first, else nothing is measured); the paths alternate in rounds so that drift on a shared machine
 * hits all alike.
 */
public final class JsonBench {

    /** Records per second of each path for one record type. */
    public record Rates(String record, double writer, double generator, double mapper) {}

    /** One Jackson factory, its generators writing doubles as the job's writer does. */
    private static final JsonFactory FACTORY =
            JsonFactory.builder().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build();

    private static final int RECORDS = 1024;
    private static final int ROUNDS = 10;

    private JsonBench() {}

    /** Measures both record types for about {@code seconds} each and prints one row per type. */
    public static List<Rates> run(double seconds, PrintWriter out) {
        if (!(seconds > 0 && seconds <= 600)) {
            throw new IllegalArgumentException("--seconds must be in (0, 600], got " + seconds);
        }
        Random random = new Random(42);
        List<ForecastRecord> forecasts = new ArrayList<>();
        List<ScoreRecord> scores = new ArrayList<>();
        for (int i = 0; i < RECORDS; i++) {
            forecasts.add(forecast(random, i));
            scores.add(score(random, i));
        }
        List<Rates> rates =
                List.of(
                        measure(
                                "forecast",
                                forecasts,
                                JsonFormats::forecast,
                                JsonBench::forecastByGenerator,
                                seconds),
                        measure(
                                "score",
                                scores,
                                JsonFormats::score,
                                JsonBench::scoreByGenerator,
                                seconds));
        out.printf(
                Locale.ROOT,
                "%-9s %14s %16s %15s %17s%n",
                "record",
                "JsonWriter/s",
                "JsonGenerator/s",
                "ObjectMapper/s",
                "writer/generator");
        for (Rates r : rates) {
            out.printf(
                    Locale.ROOT,
                    "%-9s %14.0f %16.0f %15.0f %17.2f%n",
                    r.record(),
                    r.writer(),
                    r.generator(),
                    r.mapper(),
                    r.writer() / r.generator());
        }
        out.flush();
        return rates;
    }

    private static <T> Rates measure(
            String name,
            List<T> records,
            Function<T, byte[]> writer,
            Function<T, byte[]> generator,
            double seconds) {
        List<Function<T, byte[]>> paths = List.of(writer, generator, JsonFormats::json);
        for (T r : records) {
            byte[] expected = writer.apply(r);
            for (Function<T, byte[]> p : paths) {
                if (!Arrays.equals(expected, p.apply(r))) {
                    throw new IllegalStateException(
                            name + ": the JSON paths write different bytes for " + r);
                }
            }
        }
        long[] done = new long[paths.size()];
        long[] nanos = new long[paths.size()];
        long slice = (long) (seconds * 1e9 / ROUNDS / paths.size());
        long sink = 0;
        for (int round = 0; round < ROUNDS + 1; round++) { // round 0 warms up, uncounted
            for (int p = 0; p < paths.size(); p++) {
                long start = System.nanoTime();
                long n = 0;
                do {
                    for (T r : records) {
                        sink += paths.get(p).apply(r).length;
                    }
                    n += records.size();
                } while (System.nanoTime() - start < slice);
                if (round > 0) {
                    done[p] += n;
                    nanos[p] += System.nanoTime() - start;
                }
            }
        }
        if (sink == 0) {
            throw new IllegalStateException("nothing was written");
        }
        return new Rates(
                name,
                done[0] / (nanos[0] / 1e9),
                done[1] / (nanos[1] / 1e9),
                done[2] / (nanos[2] / 1e9));
    }

    private static ForecastRecord forecast(Random random, int i) {
        long t = 1_767_225_600_000L + i * 300_000L;
        double p = 100 * random.nextGaussian();
        double w = random.nextDouble();
        return new ForecastRecord(
                "sensor-" + i,
                IsoInstants.format(t),
                List.of(
                        new ForecastRecord.Step(
                                IsoInstants.format(t + 300_000),
                                Map.of("value", p),
                                List.of(
                                        new ForecastRecord.Interval(
                                                0.8,
                                                Map.of("value", p - w),
                                                Map.of("value", p + w)),
                                        new ForecastRecord.Interval(
                                                0.95,
                                                Map.of("value", p - 2 * w),
                                                Map.of("value", p + 1.5 * w))))),
                "fleet",
                3,
                random.nextDouble() * 20);
    }

    private static ScoreRecord score(Random random, int i) {
        long t = 1_767_225_600_000L + i * 300_000L;
        double predicted = 100 * random.nextGaussian();
        double actual = predicted + random.nextGaussian();
        return new ScoreRecord(
                "sensor-" + i,
                IsoInstants.format(t),
                IsoInstants.format(t + 300_000),
                "value",
                predicted,
                actual,
                actual - predicted,
                random.nextDouble(),
                random.nextDouble(),
                0.5,
                random.nextBoolean(),
                "fleet",
                3,
                random.nextDouble() * 20,
                List.of(
                        new ScoreRecord.Band(0.8, predicted - 1.3, predicted + 1.2),
                        new ScoreRecord.Band(0.95, predicted - 2, predicted + 1.9)));
    }

    private static byte[] forecastByGenerator(ForecastRecord f) {
        ByteArrayBuilder bytes = new ByteArrayBuilder(256);
        try (JsonGenerator g = FACTORY.createGenerator(bytes)) {
            g.writeStartObject();
            g.writeStringField("sensor", f.sensor());
            g.writeStringField("origin_ts", f.originTs());
            g.writeArrayFieldStart("steps");
            for (ForecastRecord.Step step : f.steps()) {
                g.writeStartObject();
                g.writeStringField("target_ts", step.targetTs());
                g.writeFieldName("predicted");
                values(g, step.predicted());
                g.writeArrayFieldStart("intervals");
                for (ForecastRecord.Interval i : step.intervals()) {
                    g.writeStartObject();
                    g.writeNumberField("level", i.level());
                    g.writeFieldName("lower");
                    values(g, i.lower());
                    g.writeFieldName("upper");
                    values(g, i.upper());
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeStringField("model_group", f.modelGroup());
            g.writeNumberField("model_version", f.modelVersion());
            g.writeNumberField("latency_ms", f.latencyMs());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void values(JsonGenerator g, Map<String, Double> byName) throws IOException {
        g.writeStartObject();
        for (Map.Entry<String, Double> e : byName.entrySet()) {
            g.writeNumberField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
    }

    private static byte[] scoreByGenerator(ScoreRecord r) {
        ByteArrayBuilder bytes = new ByteArrayBuilder(256);
        try (JsonGenerator g = FACTORY.createGenerator(bytes)) {
            g.writeStartObject();
            g.writeStringField("sensor", r.sensor());
            g.writeStringField("origin_ts", r.originTs());
            g.writeStringField("target_ts", r.targetTs());
            g.writeStringField("target", r.target());
            g.writeNumberField("predicted", r.predicted());
            g.writeNumberField("actual", r.actual());
            g.writeNumberField("residual", r.residual());
            g.writeNumberField("score", r.score());
            g.writeNumberField("alert_score", r.alertScore());
            g.writeNumberField("threshold", r.threshold());
            g.writeBooleanField("is_anomaly", r.isAnomaly());
            g.writeStringField("model_group", r.modelGroup());
            g.writeNumberField("model_version", r.modelVersion());
            g.writeNumberField("latency_ms", r.latencyMs());
            g.writeArrayFieldStart("intervals");
            for (ScoreRecord.Band b : r.intervals()) {
                g.writeStartObject();
                g.writeNumberField("level", b.level());
                g.writeNumberField("lower", b.lower());
                g.writeNumberField("upper", b.upper());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
