package io.sensorcast.pipeline.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sensorcast.model.artifact.ModelArtifact;
import io.sensorcast.model.dataset.TimeSplit;
import io.sensorcast.model.manifest.CorruptModelException;
import io.sensorcast.pipeline.testutils.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelStoreTest {

    @TempDir static Path shared;
    static Path artifact;

    @TempDir Path root;

    @BeforeAll
    static void trainOnce() throws Exception {
        artifact = shared.resolve("artifact");
        TestModels.trainOneStep(
                TestModels.nab("realKnownCause", "ec2_request_latency_system_failure"),
                12,
                new TimeSplit(600, 800, 1000),
                1,
                artifact);
    }

    @Test
    void publishesIncreasingVersionsAndRetainsTheNewest() throws Exception {
        ModelStore store = new ModelStore(root.toString(), 3);
        for (int i = 1; i <= 5; i++) {
            assertThat(store.publish("pumps", artifact).version()).isEqualTo(i);
        }
        assertThat(store.list("pumps").valid())
                .extracting(ModelStore.Version::version)
                .containsExactly(3L, 4L, 5L);
        assertThat(store.publish("pumps", artifact).version()).isEqualTo(6);
        assertThat(store.groups()).containsExactly("pumps");
        assertThat(ModelArtifact.readManifest(ModelStore.localCopy(store.location("pumps", 6))))
                .isEqualTo(ModelArtifact.readManifest(artifact));
    }

    @Test
    void concurrentPublishersNeverShareOrHalfWriteAVersion() throws Exception {
        ModelStore store = new ModelStore(root.toString(), 1000);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Long>> published = new ArrayList<>();
        try {
            for (int i = 0; i < 32; i++) {
                Callable<Long> publish = () -> store.publish("fleet", artifact).version();
                published.add(pool.submit(publish));
            }
            List<Long> versions = new ArrayList<>();
            for (Future<Long> f : published) {
                versions.add(f.get());
            }
            assertThat(versions).doesNotHaveDuplicates().hasSize(32);
        } finally {
            pool.shutdownNow();
        }
        ModelStore.Listing listing = store.list("fleet");
        assertThat(listing.corrupt()).isEmpty();
        assertThat(listing.valid())
                .extracting(ModelStore.Version::version)
                .containsExactlyElementsOf(Stream.iterate(1L, v -> v + 1).limit(32).toList());
        try (Stream<Path> left = Files.list(root.resolve("fleet"))) {
            assertThat(left.map(p -> p.getFileName().toString()))
                    .noneMatch(n -> n.startsWith("_tmp-"));
        }
    }

    /**
     * Conditional publishers racing for the version after 1: exactly one gets version 2, every
     * other is told it was superseded and publishes nothing.
     */
    @Test
    void conditionalPublishersAfterTheSameVersionPublishOnce() throws Exception {
        ModelStore store = new ModelStore(root.toString(), 1000);
        store.publish("fleet", artifact);
        long judged = store.list("fleet").highest();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Long>> outcomes = new ArrayList<>();
        try {
            for (int i = 0; i < 16; i++) {
                Callable<Long> publish =
                        () -> {
                            try {
                                return store.publishAfter("fleet", artifact, judged).version();
                            } catch (ModelStore.SupersededException e) {
                                return -e.taken();
                            }
                        };
                outcomes.add(pool.submit(publish));
            }
            List<Long> got = new ArrayList<>();
            for (Future<Long> f : outcomes) {
                got.add(f.get());
            }
            assertThat(got).containsOnlyOnce(2L);
            assertThat(got.stream().filter(v -> v != 2L)).hasSize(15).allMatch(v -> v == -2L);
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.list("fleet").valid())
                .extracting(ModelStore.Version::version)
                .containsExactly(1L, 2L);
        assertThatThrownBy(() -> store.publishAfter("fleet", artifact, 1))
                .isInstanceOf(ModelStore.SupersededException.class)
                .hasMessage("group fleet gained version 2 after version 1 was judged against");
    }

    /**
     * A publisher killed mid-publish (a RetrainJob round, say) leaves at most a temporary directory
     * with part of an artifact: never a version, never listed, and removed by a later publish once
     * stale.
     */
    @Test
    void aPublishKilledMidWayLeavesNoVersionAndIsCleanedUp() throws Exception {
        ModelStore store = new ModelStore(root.toString(), 5);
        store.publish("g", artifact);
        Path partial = root.resolve("g/_tmp-killed");
        Files.createDirectories(partial);
        Files.copy(artifact.resolve("manifest.json"), partial.resolve("manifest.json"));
        Files.write(partial.resolve("model.params"), new byte[100]); // cut short

        ModelStore.Listing listing = store.list("g");
        assertThat(listing.valid()).extracting(ModelStore.Version::version).containsExactly(1L);
        assertThat(listing.corrupt()).isEmpty();
        assertThat(listing.highest()).isEqualTo(1);

        Files.setLastModifiedTime(
                partial, FileTime.fromMillis(System.currentTimeMillis() - 25 * 3_600_000L));
        assertThat(store.publish("g", artifact).version()).isEqualTo(2);
        assertThat(partial).doesNotExist();
    }

    @Test
    void listingSkipsAndReportsACorruptVersion() throws Exception {
        ModelStore store = new ModelStore(root.toString(), 5);
        for (int i = 0; i < 3; i++) {
            store.publish("g", artifact);
        }
        TestModels.flipAByte(root.resolve("g/2").resolve(ModelArtifact.PARAMETERS));

        ModelStore.Listing listing = store.list("g");
        assertThat(listing.valid()).extracting(ModelStore.Version::version).containsExactly(1L, 3L);
        assertThat(listing.corrupt()).containsOnlyKeys(2L);
        assertThat(listing.corrupt().get(2L)).contains("SHA-256 mismatch");
        // numbers never go back: the corrupt version still holds its number
        assertThat(store.publish("g", artifact).version()).isEqualTo(4);
    }

    @Test
    void refusesToPublishAnArtifactThatDoesNotVerify() throws Exception {
        Path bad = root.resolve("bad");
        Files.createDirectories(bad);
        for (String f :
                List.of(
                        ModelArtifact.PARAMETERS,
                        ModelArtifact.MANIFEST,
                        ModelArtifact.CHECKSUMS)) {
            Files.copy(artifact.resolve(f), bad.resolve(f));
        }
        TestModels.flipAByte(bad.resolve(ModelArtifact.MANIFEST));
        ModelStore store = new ModelStore(root.resolve("store").toString(), 5);

        assertThatThrownBy(() -> store.publish("g", bad)).isInstanceOf(CorruptModelException.class);
        assertThat(store.list("g").valid()).isEmpty();
    }

    @Test
    void refusesAGroupThatIsNotOnePathSegmentAndBadSettings() {
        ModelStore store = new ModelStore(root.toString(), 5);
        assertThatThrownBy(() -> store.publish("../etc", artifact))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("model group must match");
        assertThatThrownBy(() -> new ModelStore(root.toString(), 0))
                .hasMessage("versions to retain must be >= 1, got 0");
    }
}
