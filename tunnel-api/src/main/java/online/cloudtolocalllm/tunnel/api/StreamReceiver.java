package online.cloudtolocalllm.tunnel.api;

import java.nio.ByteBuffer;

/** Receives a {@link TunnelStream}'s bytes as they arrive. Callbacks come one at a time, in order. */
public interface StreamReceiver {

    /**
     * Bytes arrived. {@code data} is valid only during the call. Call {@code done} once they have been
     * handled (possibly later, from another thread): until then the peer is not given more window, which is how
     * a slow receiver slows the sender down.
     */
    void onData(ByteBuffer data, Runnable done);

    /** The peer finished sending. */
    void onEnd();

    /** The stream failed or was closed before its end. */
    void onError(Throwable failure);
}
