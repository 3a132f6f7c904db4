package io.sensorcast.pipeline.operators;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorcast.connectors.format.ModelUpdate;
import io.sensorcast.model.artifact.ModelArtifact;
import io.sensorcast.model.dataset.TimeSplit;
import io.sensorcast.model.serving.ServingEngine;
import io.sensorcast.pipeline.store.ModelStore;
import io.sensorcast.pipeline.testutils.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelRegistryTest {

    private static final int JOB_WINDOW = 24;

    @TempDir static Path shared;
    static Path window12;
    static Path window48;

    @TempDir Path root;
    private ModelStore store;
    private ModelRegistry registry;
    private final List<String> events = new ArrayList<>();

    @BeforeAll
    static void train() throws Exception {
        Path csv = TestModels.nab("realKnownCause", "ec2_request_latency_system_failure");
        window12 = shared.resolve("w12");
        window48 = shared.resolve("w48");
        TestModels.trainOneStep(csv, 12, new TimeSplit(600, 800, 1000), 1, window12);
        TestModels.trainOneStep(csv, 48, new TimeSplit(600, 800, 1000), 1, window48);
    }

    @BeforeEach
    void open() {
        store = new ModelStore(root.toString(), 10);
        registry = new ModelRegistry(store, JOB_WINDOW, registryListener());
    }

    private ModelRegistry.Listener registryListener() {
        return new ModelRegistry.Listener() {
            @Override
            public void served(String group, long version) {
                events.add("served " + group + " v" + version);
            }

            @Override
            public void rejected(ModelUpdate update, String reason) {
                events.add("rejected " + update.group() + " v" + update.version());
            }

            @Override
            public void retrying(ModelUpdate update, String reason, Duration delay) {
                events.add("retrying " + update.group() + " v" + update.version());
            }
        };
    }

    @AfterEach
    void close() {
        registry.close();
    }

    private ModelUpdate publish(String group, Path artifact) throws Exception {
        ModelStore.Version v = store.publish(group, artifact);
        return new ModelUpdate(group, v.version(), v.location(), null, "test");
    }

    private long served(String group) {
        return registry.model(group).map(ModelRegistry.Served::version).orElse(0L);
    }

    private void deliver(ModelUpdate u) throws Exception {
        registry.request(u);
        registry.awaitLoads(30_000);
        registry.applyLoaded();
    }

    @Test
    void servesTheNewestVersionThatVerifiesOnFirstUse() throws Exception {
        publish("g", window12);
        publish("g", window12);
        TestModels.flipAByte(root.resolve("g/2/model.params"));

        assertThat(served("g")).isEqualTo(1);
        assertThat(events).containsExactly("rejected g v2", "served g v1");
        assertThat(registry.model("nobody")).isEmpty();
    }

    @Test
    void swapsInAPublishedVersionOnlyBetweenBatches() throws Exception {
        publish("g", window12);
        assertThat(served("g")).isEqualTo(1);

        registry.request(publish("g", window12));
        registry.awaitLoads(30_000);
        assertThat(served("g")).isEqualTo(1); // loaded, not yet swapped
        registry.applyLoaded();
        assertThat(served("g")).isEqualTo(2);
        assertThat(registry.sources())
                .singleElement()
                .satisfies(u -> assertThat(u.version()).isEqualTo(2));
    }

    @Test
    void refusesAnUpdatePointingOutsideTheStoreOrAtAnotherGroupsModel() throws Exception {
        publish("g", window12);
        served("g");
        ModelUpdate other = publish("other", window12);
        Path elsewhere = root.resolveSibling(root.getFileName() + "-elsewhere").resolve("g/999");
        TestModels.copyDirectory(window12, elsewhere);

        deliver(new ModelUpdate("g", 999, elsewhere.toUri().toString(), null, "attacker"));
        deliver(new ModelUpdate("g", 998, store.location("g", 998) + "/../../other/1", null, "x"));
        deliver(new ModelUpdate("g", 1, other.location(), null, "x"));
        deliver(new ModelUpdate("g", 2, other.location(), null, "x"));
        assertThat(served("g")).isEqualTo(1);
        assertThat(events)
                .containsExactly(
                        "served g v1",
                        "rejected g v999",
                        "rejected g v998",
                        "rejected g v1",
                        "rejected g v2");
        assertThat(ModelRegistry.sameLocation(store.location("g", 3) + "/", store.location("g", 3)))
                .isTrue();
    }

    @Test
    void keepsServingOldModelWhenNewOneIsCorrupt() throws Exception {
        publish("g", window12);
        served("g");
        deliver(publish("g", window12));
        ModelUpdate v3 = publish("g", window12);
        TestModels.flipAByte(root.resolve("g/3/manifest.json"));

        deliver(v3);
        assertThat(served("g")).isEqualTo(2);
        assertThat(events).containsExactly("served g v1", "served g v2", "rejected g v3");
    }

    @Test
    void refusesAModelThatNeedsALongerWindowThanTheJobKeeps() throws Exception {
        publish("g", window12);
        served("g");
        deliver(publish("g", window48));
        assertThat(served("g")).isEqualTo(1);
        assertThat(events).containsExactly("served g v1", "rejected g v2");
    }

    @Test
    void versionsOnlyMoveForward() throws Exception {
        ModelUpdate v1 = publish("g", window12);
        publish("g", window12);
        assertThat(served("g")).isEqualTo(2);
        deliver(v1);
        deliver(new ModelUpdate("g", 2, store.location("g", 2), null, "replayed"));
        assertThat(served("g")).isEqualTo(2);
        assertThat(events).containsExactly("served g v2");
    }

    @Test
    void subtasksOfOneTaskManagerShareOneLoadedModel() throws Exception {
        publish("g", window12);
        int before = SharedModels.loaded();
        ModelRegistry other = new ModelRegistry(store, JOB_WINDOW, registryListener());
        try {
            assertThat(served("g")).isEqualTo(1);
            assertThat(other.model("g")).isPresent();
            assertThat(other.model("g").get().model()).isSameAs(registry.model("g").get().model());
            assertThat(SharedModels.loaded()).isEqualTo(before + 1);
        } finally {
            other.close();
        }
        assertThat(SharedModels.loaded()).isEqualTo(before + 1); // still used by `registry`
        registry.close();
        assertThat(SharedModels.loaded()).isEqualTo(before);
    }

    @Test
    void restoresTheNewestCheckpointedVersionThatStillLoads() throws Exception {
        ModelUpdate v1 = publish("g", window12);
        ModelUpdate v2 = publish("g", window12);
        Files.delete(root.resolve("g/2/model.params"));

        registry.restore(List.of(v1, v2, v1));
        assertThat(served("g")).isEqualTo(1);
        assertThat(events).containsExactly("rejected g v2", "served g v1");
    }

    private final AtomicLong now = new AtomicLong(1_000_000);

    /** A registry on a clock the test moves: retries after 1 s, at most 4 s apart, for 60 s. */
    private ModelRegistry onTestClock() {
        registry.close();
        registry =
                new ModelRegistry(
                        store,
                        JOB_WINDOW,
                        registryListener(),
                        new ModelRegistry.Settings(
                                Duration.ofSeconds(1),
                                Duration.ofSeconds(4),
                                Duration.ofSeconds(60),
                                Duration.ofMinutes(10),
                                ModelArtifact.Limits.DEFAULT,
                                ServingEngine.AUTO),
                        now::get);
        return registry;
    }

    private void pass(Duration d) throws Exception {
        now.addAndGet(d.toMillis());
        registry.applyLoaded(); // starts what is due
        registry.awaitLoads(30_000);
        registry.applyLoaded(); // takes in its outcome
    }

    /** v1 serves, v2 is published, then the store's directory is moved to {@code away}. */
    private ModelUpdate v1ServesThenTheStoreGoesAwayWithV2(Path away) throws Exception {
        onTestClock();
        publish("g", window12);
        assertThat(served("g")).isEqualTo(1);
        ModelUpdate v2 = publish("g", window12);
        Files.move(root, away);
        return v2;
    }

    /**
     * The store goes away (its directory moved) while a new version is announced: the version is
     * retried with backoff, the old model serves meanwhile, and the new one serves once the store
     * is back; nothing is rejected.
     */
    @Test
    void aVersionTheStoreCannotHandOverIsRetriedAndServedWhenTheStoreIsBack() throws Exception {
        Path away = root.resolveSibling(root.getFileName() + "-away");
        ModelUpdate v2 = v1ServesThenTheStoreGoesAwayWithV2(away);
        try {
            deliver(v2);
            pass(Duration.ofMillis(999)); // not due yet
            pass(Duration.ofMillis(1)); // tried again after 1 s
            pass(Duration.ofSeconds(2)); // then after 2 s
            assertThat(served("g")).isEqualTo(1);
            assertThat(registry.sources())
                    .singleElement()
                    .satisfies(u -> assertThat(u.version()).isEqualTo(2)); // still on its way
        } finally {
            Files.move(away, root);
        }
        pass(Duration.ofSeconds(4));
        assertThat(served("g")).isEqualTo(2);
        assertThat(events)
                .containsExactly(
                        "served g v1",
                        "retrying g v2",
                        "retrying g v2",
                        "retrying g v2",
                        "served g v2");
    }

    @Test
    void aVersionStillUnreachableAfterTheRetryPeriodIsRejected() throws Exception {
        Path away = root.resolveSibling(root.getFileName() + "-away");
        ModelUpdate v2 = v1ServesThenTheStoreGoesAwayWithV2(away);
        try {
            deliver(v2);
            for (int i = 0; i < 20 && !events.contains("rejected g v2"); i++) {
                pass(Duration.ofSeconds(4));
            }
        } finally {
            Files.move(away, root);
        }
        assertThat(events).contains("rejected g v2").doesNotContain("served g v2");
        assertThat(events.stream().filter(e -> e.equals("retrying g v2")))
                .hasSizeBetween(60 / 4, 60); // about one try per 4 s for 60 s
        assertThat(served("g")).isEqualTo(1);
    }

    /**
     * A version the store does not have (announced as {@code Long.MAX_VALUE}, say) is refused at
     * once, not retried, and does not pin the group: a checkpoint holding it restores to the
     * store's own newest version.
     */
    @Test
    void aVersionTheStoreDoesNotHaveIsRefusedAndPinsNothing() throws Exception {
        onTestClock();
        publish("g", window12);
        assertThat(served("g")).isEqualTo(1);
        ModelUpdate bogus =
                new ModelUpdate(
                        "g", Long.MAX_VALUE, store.location("g", Long.MAX_VALUE), null, "x");
        deliver(bogus);
        assertThat(events).containsExactly("served g v1", "rejected g v" + Long.MAX_VALUE);
        deliver(publish("g", window12));
        assertThat(served("g")).isEqualTo(2);

        events.clear();
        onTestClock(); // a restarted subtask
        registry.restore(List.of(bogus));
        assertThat(served("g")).isEqualTo(2);
        assertThat(events).containsExactly("rejected g v" + Long.MAX_VALUE, "served g v2");
    }

    /**
     * A real version announced while a bogus higher one is loading is not dropped: it is loaded
     * once the bogus one is refused.
     */
    @Test
    void aVersionArrivingWhileABogusHigherOneLoadsIsServedAfterIt() throws Exception {
        publish("g", window12);
        assertThat(served("g")).isEqualTo(1);
        ModelUpdate bogus =
                new ModelUpdate(
                        "g", Long.MAX_VALUE, store.location("g", Long.MAX_VALUE), null, "x");
        registry.request(bogus);
        registry.request(publish("g", window12)); // v2, while the bogus one is on its way
        assertThat(registry.sources())
                .extracting(u -> u.version())
                .containsExactlyInAnyOrder(Long.MAX_VALUE, 2L);
        registry.awaitLoads(30_000);
        registry.applyLoaded(); // the bogus one refused, v2 started
        registry.awaitLoads(30_000);
        registry.applyLoaded();
        assertThat(served("g")).isEqualTo(2);
        assertThat(events)
                .containsExactly("served g v1", "rejected g v" + Long.MAX_VALUE, "served g v2");
    }

    /** Restoring loads nothing; each group loads its checkpointed version at its first use. */
    @Test
    void aRestoredGroupLoadsItsVersionWhenFirstNeededAndTakesLaterUpdates() throws Exception {
        ModelUpdate v1 = publish("g", window12);
        ModelUpdate other = publish("h", window12);
        int before = SharedModels.loaded();

        registry.restore(List.of(v1, other, v1));
        assertThat(SharedModels.loaded()).isEqualTo(before);
        registry.request(publish("g", window12)); // v2, announced after the checkpoint
        assertThat(SharedModels.loaded()).isEqualTo(before);
        assertThat(registry.sources())
                .extracting(u -> u.group() + " v" + u.version())
                .containsExactlyInAnyOrder("g v2", "h v1");

        assertThat(served("g")).isEqualTo(2);
        assertThat(SharedModels.loaded()).isEqualTo(before + 1);
        assertThat(events).containsExactly("served g v2");
    }

    /** Groups nobody needs any more are forgotten: a stream of new sensors stays bounded. */
    @Test
    void groupsUnusedForTheIdleTimeAreForgottenAndTheirModelsReleased() throws Exception {
        onTestClock();
        publish("g", window12);
        int before = SharedModels.loaded();
        assertThat(served("g")).isEqualTo(1);
        for (int i = 0; i < 100; i++) {
            assertThat(registry.model("sensor-" + i)).isEmpty(); // no model in the store
        }
        assertThat(registry.groupsHeld()).isEqualTo(101);
        assertThat(SharedModels.loaded()).isEqualTo(before + 1);

        pass(Duration.ofMinutes(11));
        assertThat(registry.groupsHeld()).isZero();
        assertThat(SharedModels.loaded()).isEqualTo(before);
        assertThat(served("g")).isEqualTo(1); // back from the store on its next use
    }
}
