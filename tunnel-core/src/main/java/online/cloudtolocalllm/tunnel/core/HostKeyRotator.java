package online.cloudtolocalllm.tunnel.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.util.function.Supplier;
import online.cloudtolocalllm.tunnel.api.ErrorCode;
import online.cloudtolocalllm.tunnel.api.HostKeyRotation;
import online.cloudtolocalllm.tunnel.api.TunnelException;
import org.jspecify.annotations.Nullable;

/**
 * Rotates the host key kept in a file: every interval it generates a successor of the same kind, saves it beside the key as
 * {@code <key>.next} (so a restart keeps announcing it) and announces it; an overlap later the successor replaces the
 * key file and the old key is deleted. Time comes from the injected clock; {@link #tick()} is called often.
 */
final class HostKeyRotator {
    private static final String SUCCESSOR_SUFFIX = ".next";

    /** What a rotation step did, for the live sessions and the events. */
    interface Listener {
        void announced(KeyPair current, KeyPair successor, Instant presentedFrom);

        void rotated(KeyPair retired, KeyPair current);
    }

    private final HostKeyRing ring;
    private final Path keyFile;
    private final Supplier<KeyPair> generator;
    private final HostKeyRotation settings;
    private final Clock clock;
    private final Listener listener;
    private Instant nextAnnouncement;
    private @Nullable Instant promotion;

    HostKeyRotator(HostKeyRing ring, Path keyFile, Supplier<KeyPair> generator, HostKeyRotation settings, Clock clock,
            Listener listener) {
        this.ring = ring;
        this.keyFile = keyFile;
        this.generator = generator;
        this.settings = settings;
        this.clock = clock;
        this.listener = listener;
        Instant now = clock.instant();
        this.nextAnnouncement = now.plus(settings.interval());
        this.promotion = ring.successor().isPresent() ? now.plus(settings.overlap()) : null;
    }

    /**
     * The ring of the key in {@code keyFile} (created by {@code generator} if missing) and the successor saved beside
     * it, if any.
     */
    static HostKeyRing load(Path keyFile, Supplier<KeyPair> generator) {
        KeyPair current = KeyFiles.readOrCreate(keyFile, "tunnel-server", generator);
        Path next = successorFile(keyFile);
        return new HostKeyRing(current, Files.exists(next) ? KeyFiles.read(next) : null);
    }

    /** Takes the next step if it is due: the successor's promotion, or else a new announcement. */
    synchronized void tick() {
        Instant now = clock.instant();
        if (promotion != null) {
            if (!now.isBefore(promotion)) {
                promote();
            }
        } else if (!now.isBefore(nextAnnouncement)) {
            announce(now);
        }
    }

    private void announce(Instant now) {
        KeyPair successor = generator.get();
        KeyFiles.write(successor, successorFile(keyFile), "tunnel-server");
        ring.announce(successor);
        nextAnnouncement = now.plus(settings.interval());
        promotion = now.plus(settings.overlap());
        listener.announced(ring.current(), successor, promotion);
    }

    private void promote() {
        Path next = successorFile(keyFile);
        try {
            Files.move(next, keyFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.move(KeyFiles.publicKeyFile(next), KeyFiles.publicKeyFile(keyFile), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new TunnelException(ErrorCode.CONFIGURATION_ERROR, "Cannot make " + next + " the host key " + keyFile
                    + ": " + e.getMessage(), e);
        }
        KeyPair retired = ring.promote();
        promotion = null;
        listener.rotated(retired, ring.current());
    }

    private static Path successorFile(Path keyFile) {
        return keyFile.resolveSibling(keyFile.getFileName() + SUCCESSOR_SUFFIX);
    }
}
