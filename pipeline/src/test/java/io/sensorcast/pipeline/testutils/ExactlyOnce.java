package io.sensorcast.pipeline.testutils;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorcast.connectors.format.ForecastRecord;
import io.sensorcast.connectors.format.SensorReading;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** What "every forecast exactly once" means for a replayed series, and its check. */
public final class ExactlyOnce {

    private ExactlyOnce() {}

    /**
     * Per sensor, the target time of every forecast a failure-free run makes: one per distinct
     * reading from the one completing the first window, targeting the next step.
     */
    public static Map<String, Set<String>> expectedTargets(
            List<SensorReading> readings, int window) {
        Map<String, Set<String>> out = new TreeMap<>();
        Map<String, List<Long>> times =
                readings.stream()
                        .collect(
                                Collectors.groupingBy(
                                        r -> r.sensor,
                                        Collectors.mapping(r -> r.timestamp, Collectors.toList())));
        times.forEach(
                (sensor, ts) -> {
                    List<Long> distinct = ts.stream().distinct().sorted().toList();
                    Set<String> targets = new HashSet<>();
                    for (int i = window - 1; i < distinct.size(); i++) {
                        long origin = distinct.get(i);
                        long step =
                                (origin - distinct.get(i - window + 1)) / Math.max(1, window - 1);
                        targets.add(Instant.ofEpochMilli(origin + step).toString());
                    }
                    out.put(sensor, targets);
                });
        return out;
    }

    /** Every expected forecast is there, none twice, and nothing else. */
    public static void assertEveryForecastOnce(
            List<ForecastRecord> forecasts, Map<String, Set<String>> expected) {
        Map<String, List<String>> got =
                forecasts.stream()
                        .collect(
                                Collectors.groupingBy(
                                        ForecastRecord::sensor,
                                        TreeMap::new,
                                        Collectors.mapping(
                                                f -> f.steps().get(0).targetTs(),
                                                Collectors.toList())));
        for (Map.Entry<String, Set<String>> e : expected.entrySet()) {
            List<String> targets = got.getOrDefault(e.getKey(), List.of());
            Set<String> missing = new TreeSet<>(e.getValue());
            targets.forEach(missing::remove);
            assertThat(missing).as("missing forecasts of %s", e.getKey()).isEmpty();
            assertThat(targets).as("forecasts of %s", e.getKey()).doesNotHaveDuplicates();
        }
        assertThat(got.keySet()).isEqualTo(expected.keySet());
        assertThat(forecasts).hasSize(expected.values().stream().mapToInt(Set::size).sum());
    }
}
