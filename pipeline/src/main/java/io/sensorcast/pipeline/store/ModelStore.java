package io.sensorcast.pipeline.store;

import io.sensorcast.connectors.format.ModelUpdate;
import io.sensorcast.model.ForecastModel;
import io.sensorcast.model.artifact.ModelArtifact;
import io.sensorcast.model.artifact.ModelRequirements;
import io.sensorcast.model.manifest.InvalidModelException;
import io.sensorcast.model.manifest.ModelManifest;
import io.sensorcast.model.serving.ServingEngine;
import java.io.File;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Versioned model artifacts on Flink's file systems ({@code file://} by default; {@code s3://},
 * {@code hdfs://} where the plugin is present), laid out as {@code <root>/<group>/<version>/}.
 *
 * <p>Publication is atomic: the artifact is written to a temporary directory beside the versions,
 * read back and verified against its checksums, then renamed to the next version number; a
 * publisher that loses a race for a number takes the next one. Readers never see a half-written
 * version. That is as strong as the file system's directory rename: atomic on local disks and HDFS;
 * object stores (S3) emulate rename by copying, so there run one publisher per group. Retention
 * keeps the newest {@code retain} versions of a group (the newest is never deleted, so numbers
 * never go back).
 */
public final class ModelStore implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ModelStore.class);
    private static final String TEMP_PREFIX = "_tmp-";
    private static final long STALE_TEMP_MILLIS = 3_600_000;
    private static final List<String> FILES =
            List.of(ModelArtifact.PARAMETERS, ModelArtifact.MANIFEST, ModelArtifact.CHECKSUMS);

    /** A version in the store. */
    public record Version(String group, long version, String location) {}

    /** A group's versions, oldest first, and the ones refused, with the reason. */
    public record Listing(List<Version> valid, Map<Long, String> corrupt) {
        public Version newest() {
            return valid.isEmpty() ? null : valid.get(valid.size() - 1);
        }

        /** The highest version number taken, valid or not; 0 when none. */
        public long highest() {
            long h = valid.isEmpty() ? 0 : newest().version();
            for (long v : corrupt.keySet()) {
                h = Math.max(h, v);
            }
            return h;
        }
    }

    /** A remote artifact file over the size limit: refused, not fetched (and not retried). */
    public static final class ArtifactTooLargeException extends IOException {
        ArtifactTooLargeException(String message) {
            super(message + " (sensorcast.models.max-artifact-size); not fetched");
        }
    }

    /** A conditional publish found that another publisher got there first. */
    public static final class SupersededException extends Exception {
        private final long taken;

        SupersededException(String group, long expectedHighest, long taken) {
            super(
                    "group "
                            + group
                            + " gained version "
                            + taken
                            + " after version "
                            + expectedHighest
                            + " was judged against");
            this.taken = taken;
        }

        /** The highest version number in the store when the publish gave up. */
        public long taken() {
            return taken;
        }
    }

    private final String root;
    private final int retain;

    /**
     * @param root a path or file system URI; a path without a scheme is made absolute here, so the
     *     locations published name the same directory for every reader on this machine
     * @param retain versions kept per group, at least 1
     */
    public ModelStore(String root, int retain) {
        if (root == null || root.isBlank()) {
            throw new IllegalArgumentException("model store root must not be empty");
        }
        if (retain < 1) {
            throw new IllegalArgumentException("versions to retain must be >= 1, got " + retain);
        }
        URI uri = new Path(root).toUri();
        this.root =
                uri.getScheme() == null
                        ? new File(root).getAbsoluteFile().toURI().toString()
                        : root.replaceAll("/+$", "");
        this.retain = retain;
    }

    public String root() {
        return root;
    }

    /** The location of a version: {@code <root>/<group>/<version>}. */
    public String location(String group, long version) {
        return groupPath(group).toString() + "/" + version;
    }

    /**
     * Publishes the artifact in the local directory {@code artifact} as the group's next version.
     *
     * @throws InvalidModelException when the artifact does not verify (nothing is published)
     */
    public Version publish(String group, java.nio.file.Path artifact)
            throws IOException, InvalidModelException {
        try {
            return publish(group, artifact, -1);
        } catch (SupersededException e) {
            throw new IllegalStateException("an unconditional publish cannot be superseded", e);
        }
    }

    /**
     * Publishes the artifact as version {@code expectedHighest + 1}, and only as that: when another
     * publisher took that number first (two retraining rounds at once, say), nothing is published.
     * A round that judged its candidate against the newest version then never publishes over a
     * version it did not judge against.
     *
     * @param expectedHighest the {@link Listing#highest()} the candidate was judged with
     * @throws SupersededException when the group has moved past {@code expectedHighest}
     */
    public Version publishAfter(String group, java.nio.file.Path artifact, long expectedHighest)
            throws IOException, InvalidModelException, SupersededException {
        if (expectedHighest < 0) {
            throw new IllegalArgumentException(
                    "expected highest version must be >= 0, got " + expectedHighest);
        }
        return publish(group, artifact, expectedHighest);
    }

    /** Publishes as the next free number, or as exactly {@code expected + 1} when it is >= 0. */
    private Version publish(String group, java.nio.file.Path artifact, long expected)
            throws IOException, InvalidModelException, SupersededException {
        ModelArtifact.readManifest(artifact);
        Path dir = groupPath(group);
        FileSystem fs = dir.getFileSystem();
        fs.mkdirs(dir);
        removeStaleTemps(fs, dir);
        Path temp = new Path(dir, TEMP_PREFIX + UUID.randomUUID());
        try {
            for (String name : FILES) {
                try (OutputStream out =
                        fs.create(new Path(temp, name), FileSystem.WriteMode.NO_OVERWRITE)) {
                    Files.copy(artifact.resolve(name), out);
                }
            }
            verify(temp);
            for (int attempt = 0; attempt < 100; attempt++) {
                long highest = highestNumber(fs, dir);
                if (expected >= 0 && highest != expected) {
                    throw new SupersededException(group, expected, highest);
                }
                long next = highest + 1;
                Path target = new Path(dir, Long.toString(next));
                if (claim(fs, temp, target) && verifiedAt(target)) {
                    LOG.info("Published model {} version {} at {}", group, next, target);
                    applyRetention(group);
                    return new Version(group, next, target.toString());
                }
            }
            throw new IOException("could not claim a version number in " + dir);
        } finally {
            if (fs.exists(temp)) {
                fs.delete(temp, true);
            }
        }
    }

    /** The group's versions: those that verify, and those refused with the reason. */
    public Listing list(String group) throws IOException {
        Path dir = groupPath(group);
        FileSystem fs = dir.getFileSystem();
        List<Version> valid = new ArrayList<>();
        Map<Long, String> corrupt = new LinkedHashMap<>();
        for (long v : numbers(fs, dir)) {
            Path p = new Path(dir, Long.toString(v));
            try {
                verify(p);
                valid.add(new Version(group, v, p.toString()));
            } catch (InvalidModelException e) {
                LOG.warn("Skipping model {} version {}: {}", group, v, e.getMessage());
                corrupt.put(v, e.getMessage());
            }
        }
        return new Listing(valid, corrupt);
    }

    /** The groups that have a directory in the store. */
    public List<String> groups() throws IOException {
        Path r = new Path(root);
        FileSystem fs = r.getFileSystem();
        List<String> groups = new ArrayList<>();
        if (fs.exists(r)) {
            for (FileStatus s : listStatus(fs, r)) {
                String name = s.getPath().getName();
                if (s.isDir() && ModelUpdate.GROUP.matcher(name).matches()) {
                    groups.add(name);
                }
            }
        }
        groups.sort(null);
        return groups;
    }

    /** Deletes all but the newest {@code retain} versions (verified or not) of a group. */
    public void applyRetention(String group) throws IOException {
        Path dir = groupPath(group);
        FileSystem fs = dir.getFileSystem();
        List<Long> versions = numbers(fs, dir);
        for (int i = 0; i < versions.size() - retain; i++) {
            LOG.info("Retention: deleting model {} version {}", group, versions.get(i));
            fs.delete(new Path(dir, Long.toString(versions.get(i))), true);
        }
    }

    /**
     * Fetches the version at {@code location} (refusing files over the limit before fetching) and
     * loads it, serving on {@code engine}, if it meets {@code requirements} and {@code limits}. The
     * caller owns the model.
     */
    public static ForecastModel load(
            String location,
            ModelRequirements requirements,
            ModelArtifact.Limits limits,
            ServingEngine engine)
            throws IOException, InvalidModelException {
        return ModelArtifact.load(localCopy(location, limits.maxFileBytes()), requirements, limits)
                .servedOn(engine);
    }

    /**
     * Whether the version directory at {@code location} is there: false when it is not (or not yet,
     * or no longer), an IOException when the store cannot be asked. Tells a store that is down from
     * an artifact that is broken.
     */
    public static boolean exists(String location) throws IOException {
        Path p = new Path(location);
        return p.getFileSystem().exists(p);
    }

    /**
     * A local directory holding the artifact at {@code location}: the directory itself on a local
     * file system, otherwise a copy in {@code java.io.tmpdir}. Not verified: load it with {@link
     * ModelArtifact}, which checks the checksums.
     */
    public static java.nio.file.Path localCopy(String location) throws IOException {
        return localCopy(location, Long.MAX_VALUE);
    }

    /**
     * {@link #localCopy(String)}, refusing (before fetching it) a remote file larger than {@code
     * maxFileBytes}; a local artifact's sizes are checked when it is loaded.
     */
    public static java.nio.file.Path localCopy(String location, long maxFileBytes)
            throws IOException {
        Path p = new Path(location);
        FileSystem fs = p.getFileSystem();
        if (!fs.isDistributedFS() && "file".equals(fs.getUri().getScheme())) {
            return new File(p.toUri().getPath()).toPath();
        }
        for (String name : FILES) {
            long size = fs.getFileStatus(new Path(p, name)).getLen();
            if (size > maxFileBytes) {
                throw new ArtifactTooLargeException(
                        location + "/" + name + ": " + size + " bytes, at most " + maxFileBytes);
            }
        }
        java.nio.file.Path local =
                java.nio.file.Path.of(
                        System.getProperty("java.io.tmpdir"), "sensorcast-models", hash(location));
        Files.createDirectories(local);
        for (String name : FILES) {
            try (InputStream in = fs.open(new Path(p, name))) {
                Files.copy(
                        in, local.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return local;
    }

    private Path groupPath(String group) {
        if (group == null || !ModelUpdate.GROUP.matcher(group).matches()) {
            throw new IllegalArgumentException(
                    "model group must match "
                            + ModelUpdate.GROUP.pattern()
                            + ", got '"
                            + group
                            + "'");
        }
        return new Path(root, group);
    }

    private static ModelManifest verify(Path version) throws IOException, InvalidModelException {
        return ModelArtifact.readManifest(localCopy(version.toString()));
    }

    /** Renames {@code temp} to {@code target}; false when another publisher took the number. */
    private static boolean claim(FileSystem fs, Path temp, Path target) throws IOException {
        if (fs.exists(target)) {
            return false;
        }
        try {
            return fs.rename(temp, target);
        } catch (IOException e) {
            // e.g. "Directory not empty": the target appeared between the check and the rename
            if (fs.exists(target) && fs.exists(temp)) {
                return false;
            }
            throw e;
        }
    }

    private static boolean verifiedAt(Path version) throws IOException {
        try {
            verify(version);
            return true;
        } catch (InvalidModelException e) {
            // the rename raced with something else writing here; never publish what fails
            throw new IOException("published version " + version + " does not verify: " + e, e);
        }
    }

    /** Version numbers present (verified or not), ascending. */
    private static List<Long> numbers(FileSystem fs, Path dir) throws IOException {
        List<Long> numbers = new ArrayList<>();
        if (!fs.exists(dir)) {
            return numbers;
        }
        for (FileStatus s : listStatus(fs, dir)) {
            String name = s.getPath().getName();
            if (s.isDir() && name.matches("[1-9]\\d{0,17}")) {
                numbers.add(Long.parseLong(name));
            }
        }
        numbers.sort(null);
        return numbers;
    }

    /**
     * Lists a directory whose entries may vanish while it is read (another publisher renaming its
     * temporary directory): the local file system then fails the whole listing, so list again.
     */
    private static FileStatus[] listStatus(FileSystem fs, Path dir) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                FileStatus[] entries = fs.listStatus(dir);
                return entries == null ? new FileStatus[0] : entries;
            } catch (FileNotFoundException e) {
                if (attempt == 20 || !fs.exists(dir)) {
                    throw e;
                }
            }
        }
    }

    private static long highestNumber(FileSystem fs, Path dir) throws IOException {
        List<Long> n = numbers(fs, dir);
        return n.isEmpty() ? 0 : n.get(n.size() - 1);
    }

    private static void removeStaleTemps(FileSystem fs, Path dir) throws IOException {
        long now = System.currentTimeMillis();
        for (FileStatus s : listStatus(fs, dir)) {
            if (s.getPath().getName().startsWith(TEMP_PREFIX)
                    && now - s.getModificationTime() > STALE_TEMP_MILLIS) {
                fs.delete(s.getPath(), true);
            }
        }
    }

    private static String hash(String s) {
        try {
            byte[] d =
                    MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
