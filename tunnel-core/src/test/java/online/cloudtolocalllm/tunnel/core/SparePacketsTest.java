package online.cloudtolocalllm.tunnel.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.apache.sshd.common.session.Session;
import org.junit.jupiter.api.Test;

/** Large reads cycle through a channel's full-size packets; small ones get packets of their own size, not kept. */
class SparePacketsTest {
    private static final Session SESSION = PacketDoubles.session();
    private static final int PACKET_SIZE = 64 * 1024;

    private final SparePackets packets = new SparePackets(SESSION, PACKET_SIZE);

    @Test
    void aFullSizePacketIsFilledAgainOnceSent() {
        ChannelDataPacket first = packets.take(40_000);
        ChannelDataPacket second = packets.take(PACKET_SIZE * 3);
        assertThat(first).isNotSameAs(second);
        assertThat(first.dataCapacity()).isEqualTo(PACKET_SIZE);
        assertThat(second.dataCapacity()).as("never more than the peer takes").isEqualTo(PACKET_SIZE);
        first.readFrom(ByteBuffer.wrap(new byte[40_000]));

        packets.sent(first);

        ChannelDataPacket again = packets.take(SparePackets.REUSED_FROM);
        assertThat(again).isSameAs(first);
        assertThat(again.available()).as("emptied").isZero();
        assertThat(packets.take(SparePackets.REUSED_FROM)).as("only what was sent comes back").isNotSameAs(second);
    }

    @Test
    void aPeerAllowingHugePacketsStillGetsPacketsOfOurSize() {
        SparePackets generous = new SparePackets(SESSION, Integer.MAX_VALUE * 2L);

        assertThat(generous.take(1 << 20).dataCapacity()).isEqualTo(SshDefaults.MAX_PACKET_SIZE);
    }

    @Test
    void aSmallReadGetsAPacketOfItsOwnSizeThatIsNotKept() {
        ChannelDataPacket small = packets.take(SparePackets.REUSED_FROM - 1);
        assertThat(small.dataCapacity()).isEqualTo(SparePackets.REUSED_FROM - 1);

        packets.sent(small);

        ChannelDataPacket large = packets.take(PACKET_SIZE);
        assertThat(large).isNotSameAs(small);
        assertThat(large.dataCapacity()).isEqualTo(PACKET_SIZE);
    }
}
