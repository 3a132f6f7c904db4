package io.sensorcast.evaluation.bench;

import com.sun.management.OperatingSystemMXBean;
import io.sensorcast.connectors.format.SensorReading;
import io.sensorcast.connectors.kafka.KafkaOptions;
import io.sensorcast.connectors.kafka.KafkaTopics;
import io.sensorcast.connectors.serde.JsonFormats;
import io.sensorcast.evaluation.stack.LocalStack;
import io.sensorcast.pipeline.job.ForecastSettings;
import io.sensorcast.pipeline.operators.ReadingOrder;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code sensorcast bench-live}: what a consumer of the job's outputs waits for in a live
 * deployment. A producer sends every sensor's readings at a fixed real-time rate, each stamped with
 * the wall clock as it is sent; ForecastJob runs with its defaults (and the checkpoint interval of
 * {@code ForecastJob.main}); four Kafka consumers outside the job, on the forecasts and the
 * anomalies topics, {@code read_committed} and {@code read_uncommitted}, take each record's latency
 * as the time it was polled minus its reading's stamp (the record's Kafka timestamp is its
 * reading's event time: a forecast's origin, an anomaly's scored reading). Every sensor gets one
 * spike at a random second of the measured span, so there are anomalies to wait for.
 *
 * <p>Before the live readings, each sensor's recent history (stamped in the past, sent at full
 * speed) fills its window and its detector's warm-up, so the measured span sees the steady state a
 * running deployment is in. Broker, job, producer and consumers share this JVM and its cores; the
 * CPU per forecast is the whole process's, as in {@code sensorcast bench}.
 */
public final class LiveBench {

    /**
     * @param sensors sensors sending readings
     * @param perSecond readings each sensor sends per second
     * @param history readings per sensor sent before the live ones, stamped in the past
     * @param warmUp live seconds before the measured span
     * @param measured the measured span
     * @param checkpointMillis the job's checkpoint interval
     * @param parallelism the job's parallelism
     * @param partitions partitions of the readings and output topics
     * @param seed the signals' and spikes' seed
     * @param conf job or Flink options over the defaults
     */
    public record Settings(
            int sensors,
            double perSecond,
            int history,
            Duration warmUp,
            Duration measured,
            long checkpointMillis,
            int parallelism,
            int partitions,
            long seed,
            Map<String, String> conf) {}

    /** Latency percentiles of one consumer, in ms, over the readings of the measured span. */
    public record Percentiles(long count, double p50, double p99, double p999) {}

    private static final OperatingSystemMXBean CPU =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private final Settings s;
    private final PrintWriter out;

    public LiveBench(Settings settings, PrintWriter out) {
        if (settings.sensors() < 1 || settings.perSecond() <= 0 || settings.history() < 0) {
            throw new IllegalArgumentException(
                    "--sensors must be >= 1, --rate > 0 and --history >= 0");
        }
        this.s = settings;
        this.out = out;
    }

    /** Runs the benchmark, prints its table and returns its figures by their JSON names. */
    public Map<String, Object> run() throws Exception {
        try (LocalStack stack = LocalStack.start("bench-live")) {
            Configuration job = stack.job();
            s.conf().forEach(job::setString);
            Properties client = KafkaOptions.connection(job);
            stack.ensureReadings(s.partitions());
            String forecastsTopic = job.get(KafkaOptions.FORECASTS_TOPIC);
            String anomaliesTopic = job.get(KafkaOptions.ANOMALIES_TOPIC);
            for (String topic : List.of(forecastsTopic, anomaliesTopic)) {
                KafkaTopics.ensure(client, topic, s.partitions(), Map.of());
            }
            Configuration flink = stack.flink(s.parallelism(), "checkpoints");
            s.conf().forEach(flink::setString);

            Span span = new Span();
            List<Reader> readers = new ArrayList<>();
            for (String topic : List.of(forecastsTopic, anomaliesTopic)) {
                for (String isolation : List.of("read_committed", "read_uncommitted")) {
                    readers.add(new Reader(client, topic, isolation, span));
                }
            }
            readers.forEach(Reader::start);
            stack.startForecast(flink, s.checkpointMillis());
            out.printf(
                    Locale.ROOT,
                    "%d sensors at %.3g readings/s each (%.0f readings/s), reading order %s,"
                            + " checkpoints every %d ms%n",
                    s.sensors(),
                    s.perSecond(),
                    s.sensors() * s.perSecond(),
                    ForecastSettings.of(job).order(),
                    s.checkpointMillis());
            out.flush();
            Map<String, Object> result;
            try (Fleet fleet = new Fleet(client, job.get(KafkaOptions.READINGS_TOPIC))) {
                long start = System.currentTimeMillis();
                fleet.history(start);
                Reader progress = readers.get(1); // forecasts, read_uncommitted
                long historyForecasts = historyForecasts(ForecastSettings.of(job));
                awaitCount(progress, historyForecasts, Duration.ofMinutes(20), "history");
                out.printf(
                        Locale.ROOT,
                        "history forecast (%d readings a sensor) in %.1f s; live now%n",
                        s.history(),
                        (System.currentTimeMillis() - start) / 1000.0);
                out.flush();
                result = live(fleet, span, readers);
            } finally {
                readers.forEach(Reader::stop);
            }
            return result;
        }
    }

    /**
     * Forecasts of the history the job makes before live readings come: from each sensor's second
     * reading on, but in event-time order the newest out-of-orderness waits for them.
     */
    private long historyForecasts(ForecastSettings settings) {
        double waiting =
                settings.order() == ReadingOrder.EVENT_TIME
                        ? Math.ceil(settings.outOfOrderness().toMillis() * s.perSecond() / 1000.0)
                        : 0;
        return (long) s.sensors() * Math.max(0, s.history() - 2 - (long) waiting);
    }

    private Map<String, Object> live(Fleet fleet, Span span, List<Reader> readers)
            throws Exception {
        long liveStart = System.currentTimeMillis();
        span.from = liveStart + s.warmUp().toMillis();
        span.to = span.from + s.measured().toMillis();
        Thread producer = new Thread(() -> fleet.live(liveStart, span), "bench-live-producer");
        producer.setDaemon(true);
        producer.start();
        sleepUntil(span.from);
        long cpu0 = CPU.getProcessCpuTime();
        sleepUntil(span.to);
        long cpu1 = CPU.getProcessCpuTime();
        Thread.sleep(200); // the producer's last burst stamped inside the span is counted
        // Every reading of the span is forecast: wait until the committed forecasts are all there
        // (the checkpoint after the span commits them), then a second more for the rest. The
        // fleet goes on sending meanwhile, as a live one would: in event-time order the span's
        // newest readings wait for the watermark that later readings move.
        Duration drain = Duration.ofMillis(2 * s.checkpointMillis() + 60_000);
        awaitInSpan(readers.get(0), fleet.sentInSpan.get(), drain);
        Thread.sleep(1_000);
        fleet.stop = true;
        producer.join();
        readers.forEach(Reader::stop);

        double seconds = s.measured().toMillis() / 1000.0;
        long forecasts = readers.get(1).histogram.count();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("sensors", s.sensors());
        r.put("readings_per_s", fleet.sentInSpan.get() / seconds);
        r.put("forecasts_per_s", forecasts / seconds);
        r.put("cpu_us_per_forecast", forecasts == 0 ? Double.NaN : (cpu1 - cpu0) / 1e3 / forecasts);
        r.put("checkpoint_interval_ms", s.checkpointMillis());
        r.put("measured_s", seconds);
        String[] names = {
            "forecasts", "forecasts_uncommitted", "anomalies", "anomalies_uncommitted"
        };
        out.printf(
                Locale.ROOT,
                "%n%-38s %9s %9s %9s %9s%n",
                "send to consumable",
                "records",
                "p50 ms",
                "p99 ms",
                "p99.9 ms");
        for (int i = 0; i < readers.size(); i++) {
            Percentiles p = readers.get(i).histogram.percentiles();
            r.put(names[i] + "_count", p.count());
            r.put(names[i] + "_p50_ms", p.p50());
            r.put(names[i] + "_p99_ms", p.p99());
            r.put(names[i] + "_p999_ms", p.p999());
            out.printf(
                    Locale.ROOT,
                    "%-38s %9d %9.0f %9.0f %9.0f%n",
                    readers.get(i).topic + " " + readers.get(i).isolation,
                    p.count(),
                    p.p50(),
                    p.p99(),
                    p.p999());
        }
        out.printf(
                Locale.ROOT,
                "%nreadings sent %.0f/s, forecasts consumed %.0f/s over %.0f s; %.1f us of CPU a"
                        + " forecast (this process: broker, job, producer and consumers)%n",
                r.get("readings_per_s"),
                r.get("forecasts_per_s"),
                seconds,
                r.get("cpu_us_per_forecast"));
        out.flush();
        return r;
    }

    private static void awaitCount(Reader reader, long count, Duration timeout, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (reader.seen.get() < count) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "the job forecast "
                                + reader.seen.get()
                                + " of the "
                                + count
                                + " readings of the "
                                + what
                                + " in "
                                + timeout);
            }
            Thread.sleep(100);
        }
    }

    private static void awaitInSpan(Reader reader, long count, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (reader.inSpan.get() < count && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }

    private static void sleepUntil(long millis) throws InterruptedException {
        long wait = millis - System.currentTimeMillis();
        if (wait > 0) {
            Thread.sleep(wait);
        }
    }

    /** The wall-clock span whose readings are measured. */
    static final class Span {
        volatile long from = Long.MAX_VALUE;
        volatile long to = Long.MIN_VALUE;

        boolean contains(long t) {
            return t >= from && t < to;
        }
    }

    /** Millisecond buckets up to ten minutes, then one for the rest. */
    static final class Histogram {
        private final long[] counts = new long[600_001];

        void record(long millis) {
            counts[(int) Math.max(0, Math.min(counts.length - 1, millis))]++;
        }

        long count() {
            long n = 0;
            for (long c : counts) {
                n += c;
            }
            return n;
        }

        /** The smallest latency with at least {@code q} of the records at or below it. */
        double quantile(double q) {
            long n = count();
            if (n == 0) {
                return Double.NaN;
            }
            long rank = (long) Math.ceil(q * n);
            long seen = 0;
            for (int ms = 0; ms < counts.length; ms++) {
                seen += counts[ms];
                if (seen >= rank) {
                    return ms;
                }
            }
            return counts.length - 1;
        }

        Percentiles percentiles() {
            return new Percentiles(count(), quantile(0.5), quantile(0.99), quantile(0.999));
        }
    }

    /**
     * A consumer outside the job: polls its topic and records, for each record of a reading in the
     * span, when it could be read.
     */
    static final class Reader {
        final String topic;
        final String isolation;
        final Histogram histogram = new Histogram();
        final AtomicLong seen = new AtomicLong();
        final AtomicLong inSpan = new AtomicLong();
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final Span span;
        private final Thread thread;
        private volatile boolean running = true;

        Reader(Properties client, String topic, String isolation, Span span) {
            Properties p = new Properties();
            p.putAll(client);
            p.setProperty(ConsumerConfig.GROUP_ID_CONFIG, "bench-live-" + topic + "-" + isolation);
            p.setProperty(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            p.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
            p.setProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            this.consumer =
                    new KafkaConsumer<>(
                            p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            this.topic = topic;
            this.isolation = isolation;
            this.span = span;
            this.thread = new Thread(this::poll, "bench-live-" + topic + "-" + isolation);
            thread.setDaemon(true);
        }

        void start() {
            consumer.subscribe(List.of(topic));
            thread.start();
        }

        private void poll() {
            try {
                while (running) {
                    var records = consumer.poll(Duration.ofMillis(20));
                    long now = System.currentTimeMillis();
                    int n = 0;
                    int in = 0;
                    for (ConsumerRecord<byte[], byte[]> r : records) {
                        n++;
                        if (span.contains(r.timestamp())) {
                            histogram.record(now - r.timestamp());
                            in++;
                        }
                    }
                    seen.addAndGet(n);
                    inSpan.addAndGet(in);
                }
            } finally {
                consumer.close(Duration.ofSeconds(5));
            }
        }

        void stop() {
            running = false;
            try {
                thread.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * The sensors: sensor {@code i} reads {@code level + amplitude·sin(2πt/period) + noise}, with
     * its own level, amplitude, period (1 to 10 minutes) and phase, and one spike of ten amplitudes
     * at a random second of the measured span.
     */
    final class Fleet implements AutoCloseable {
        final AtomicLong sentInSpan = new AtomicLong();
        volatile boolean stop;
        private final KafkaProducer<byte[], byte[]> producer;
        private final String topic;
        private final byte[][] keys;
        private final String[] ids;
        private final double[] level;
        private final double[] amplitude;
        private final double[] period;
        private final double[] phase;
        private final long[] spikeAt;
        private final Random noise;

        Fleet(Properties client, String topic) {
            this.producer =
                    new KafkaProducer<>(
                            client, new ByteArraySerializer(), new ByteArraySerializer());
            this.topic = topic;
            int n = s.sensors();
            Random random = new Random(s.seed());
            noise = new Random(s.seed() + 1);
            keys = new byte[n][];
            ids = new String[n];
            level = new double[n];
            amplitude = new double[n];
            period = new double[n];
            phase = new double[n];
            spikeAt = new long[n];
            for (int i = 0; i < n; i++) {
                ids[i] = String.format(Locale.ROOT, "live-%06d", i);
                keys[i] = ids[i].getBytes(StandardCharsets.UTF_8);
                level[i] = 10 + 90 * random.nextDouble();
                amplitude[i] = 1 + 9 * random.nextDouble();
                period[i] = 60_000 + 540_000 * random.nextDouble();
                phase[i] = 2 * Math.PI * random.nextDouble();
                spikeAt[i] = (long) (random.nextDouble() * s.measured().toMillis());
            }
        }

        private double value(int i, long t) {
            return level[i]
                    + amplitude[i] * Math.sin(2 * Math.PI * t / period[i] + phase[i])
                    + 0.1 * amplitude[i] * noise.nextGaussian();
        }

        private void send(int i, long t, double value) {
            SensorReading r = SensorReading.of(ids[i], t, value);
            producer.send(new ProducerRecord<>(topic, null, t, keys[i], JsonFormats.reading(r)));
        }

        /** {@code history} readings a sensor, stamped before {@code start}, at full speed. */
        void history(long start) {
            long step = Math.round(1000 / s.perSecond());
            for (int k = s.history(); k > 0; k--) {
                for (int i = 0; i < ids.length; i++) {
                    long t = start - k * step - 1 - (i * step / ids.length);
                    send(i, t, value(i, t));
                }
            }
            producer.flush();
        }

        /**
         * Reading {@code n} of the live phase is sensor {@code n mod sensors}'s, due at {@code
         * start + n / rate}; sends what is due, stamped as it is sent (1 ms after its sensor's
         * previous reading at the earliest), until stopped.
         */
        void live(long start, Span span) {
            double perMilli = ids.length * s.perSecond() / 1000.0;
            boolean[] spiked = new boolean[ids.length];
            long[] last = new long[ids.length];
            long n = 0;
            while (true) {
                if (stop) {
                    break;
                }
                long now = System.currentTimeMillis();
                long due = (long) ((now - start) * perMilli);
                for (; n < due; n++) {
                    int i = (int) (n % ids.length);
                    // a stalled producer sends a burst: a sensor's readings in it must still have
                    // distinct stamps, or the job drops the repeats as duplicates
                    long t = Math.max(System.currentTimeMillis(), last[i] + 1);
                    last[i] = t;
                    double v = value(i, t);
                    if (!spiked[i] && t >= span.from + spikeAt[i]) {
                        spiked[i] = true;
                        v += 10 * amplitude[i];
                    }
                    send(i, t, v);
                    if (span.contains(t)) {
                        sentInSpan.incrementAndGet();
                    }
                }
                LockSupport.parkNanos(500_000);
            }
            producer.flush();
        }

        @Override
        public void close() {
            producer.close(Duration.ofSeconds(10));
        }
    }
}
