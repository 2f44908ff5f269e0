package online.cloudtolocalllm.tunnel.spi;

import java.nio.ByteBuffer;

/** Receives what a {@link FrameConnection} delivers, one call at a time, in order. */
public interface FrameHandler {

    /** A binary frame arrived; {@code frame} is valid only during the call. */
    void onFrame(ByteBuffer frame);

    /** The connection closed, by either side or because it failed. Called once. */
    void onClosed(int code, String reason);
}
