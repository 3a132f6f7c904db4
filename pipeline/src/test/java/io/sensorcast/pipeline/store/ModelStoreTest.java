package io.sensorcast.pipeline.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sensorcast.model.artifact.CorruptModelException;
import io.sensorcast.model.artifact.ModelArtifact;
import io.sensorcast.model.dataset.TimeSplit;
import io.sensorcast.pipeline.testutils.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
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
