package online.cloudtolocalllm.tunnel.core;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.sshd.common.session.Session;

/**
 * The data packets one channel fills from its local service, full-size ones filled again once sent: a download's
 * reads then cycle through a few packet-sized arrays that stay in the core's cache, where a new array per read was
 * a cold, zeroed 64 KiB every time (the server's TCP bridge has reused its packets since stop 13). A read smaller
 * than {@link #REUSED_FROM} gets a packet of its own size, so a channel that only carries small answers keeps no
 * packet-sized array. Packets are taken on one thread and handed back from any.
 */
final class SparePackets {
    /** Reads of at least this many bytes go into full-size packets that are kept for the next reads. */
    static final int REUSED_FROM = 16 * 1024;

    private final Session session;
    private final int packetSize;
    private final Queue<ChannelDataPacket> spare = new ConcurrentLinkedQueue<>();

    /**
     * Packets of {@code session} for a channel whose peer takes at most {@code packetSize} bytes of data each; kept
     * packets are no larger than our own packets ({@link SshDefaults#MAX_PACKET_SIZE}), whatever the peer allows.
     */
    SparePackets(Session session, long packetSize) {
        this.session = session;
        this.packetSize = (int) Math.min(packetSize, SshDefaults.MAX_PACKET_SIZE);
    }

    /** An empty packet for {@code waiting} bytes of data: a kept full-size one if it is a large read. */
    ChannelDataPacket take(int waiting) {
        if (waiting < REUSED_FROM) {
            return ChannelDataPacket.allocate(session, Math.min(waiting, packetSize));
        }
        ChannelDataPacket kept = spare.poll();
        return kept != null ? kept : ChannelDataPacket.allocate(session, packetSize);
    }

    /** {@code packet} was sent: a full-size one is kept, emptied, for a later read. */
    void sent(ChannelDataPacket packet) {
        if (packet.dataCapacity() == packetSize) {
            spare.add(packet.reset());
        }
    }
}
