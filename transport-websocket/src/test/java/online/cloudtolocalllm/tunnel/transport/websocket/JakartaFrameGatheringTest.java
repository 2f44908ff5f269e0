package online.cloudtolocalllm.tunnel.transport.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.time.Duration;
import online.cloudtolocalllm.tunnel.spi.CloseCodes;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Frames that wait while a message is out with the container leave together as the next message, up to the
 * gathering limit and in order; an idle session sends a frame at once and alone.
 */
class JakartaFrameGatheringTest {
    private final Container container = new Container();
    private final JakartaFrameConnection connection = new JakartaFrameConnection(container.session(),
            new InetSocketAddress("127.0.0.1", 1));
    private final Random random = new Random(5);

    @Test
    void framesThatWaitedLeaveAsOneMessage() {
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        ByteArrayOutputStream waited = new ByteArrayOutputStream();

        connection.send(ByteBuffer.wrap(bytes(300, first)));
        for (int length : new int[] {120, 1300, 7, 900}) {
            connection.send(ByteBuffer.wrap(bytes(length, waited)));
        }
        assertThat(container.messages()).as("the first frame went out at once, alone").containsExactly(first.toByteArray());

        container.completeOldest();
        assertThat(container.messages()).containsExactly(first.toByteArray(), waited.toByteArray());
        container.completeOldest();
        assertThat(container.pending()).isZero();
    }

    @Test
    void aMessageStopsAtTheLimitAndTheRestFollows() {
        ByteArrayOutputStream second = new ByteArrayOutputStream();
        ByteArrayOutputStream third = new ByteArrayOutputStream();
        ByteArrayOutputStream fourth = new ByteArrayOutputStream();

        connection.send(ByteBuffer.wrap(bytes(10, new ByteArrayOutputStream())));
        connection.send(ByteBuffer.wrap(bytes(40_000, second)));
        connection.send(ByteBuffer.wrap(bytes(JakartaFrameConnection.GATHER_LIMIT - 40_000, second)));
        connection.send(ByteBuffer.wrap(bytes(1, third)));
        container.completeOldest();
        connection.send(ByteBuffer.wrap(bytes(JakartaFrameConnection.GATHER_LIMIT + 100, fourth)));
        container.completeOldest();
        container.completeOldest();

        assertThat(container.messages()).hasSize(4);
        assertThat(container.messages().get(1)).as("exactly the limit").isEqualTo(second.toByteArray());
        assertThat(container.messages().get(2)).as("the frame past the limit starts the next").isEqualTo(third.toByteArray());
        assertThat(container.messages().get(3)).as("a frame larger than the limit goes alone").isEqualTo(fourth.toByteArray());
    }

    @Test
    void aSendPastTheHighWaterCompletesWhenItsMessageIsOut() {
        connection.send(ByteBuffer.wrap(new byte[(int) JakartaFrameConnection.HIGH_WATER]));
        CompletableFuture<Void> over = connection.send(ByteBuffer.wrap(new byte[10]));
        CompletableFuture<Void> alsoOver = connection.send(ByteBuffer.wrap(new byte[20]));
        assertThat(over).isNotDone();
        assertThat(alsoOver).isNotDone();

        container.completeOldest();
        assertThat(over).as("the queue is under the high water again").isCompleted();
        assertThat(alsoOver).isCompleted();
        assertThat(container.messages().get(1)).hasSize(30);
    }

    @Test
    void closingFailsTheSendsThatWaitAndTheOneOut() {
        connection.send(ByteBuffer.wrap(new byte[(int) JakartaFrameConnection.HIGH_WATER]));
        CompletableFuture<Void> next = connection.send(ByteBuffer.wrap(new byte[(int) JakartaFrameConnection.HIGH_WATER]));
        CompletableFuture<Void> behind = connection.send(ByteBuffer.wrap(new byte[5]));
        container.completeOldest();
        assertThat(next).as("out with the container, the queue still over the high water").isNotDone();

        connection.closed(CloseCodes.GOING_AWAY, "bye");

        assertThat(next).isCompletedExceptionally();
        assertThat(behind).isCompletedExceptionally();
        assertThat(connection.send(ByteBuffer.wrap(new byte[1]))).failsWithin(Duration.ZERO)
                .withThrowableOfType(ExecutionException.class).withCauseInstanceOf(ClosedChannelException.class);
    }

    @Test
    void aFailedSendFailsEveryFrameOfItsMessageWithItsCause() {
        connection.send(ByteBuffer.wrap(new byte[(int) JakartaFrameConnection.HIGH_WATER]));
        CompletableFuture<Void> a = connection.send(ByteBuffer.wrap(new byte[3]));
        CompletableFuture<Void> b = connection.send(ByteBuffer.wrap(new byte[4]));
        CompletableFuture<Void> c = connection.send(ByteBuffer.wrap(new byte[(int) JakartaFrameConnection.HIGH_WATER]));
        container.completeOldest();
        assertThat(container.messages().get(1)).as("a and b together; c does not fit").hasSize(7);
        assertThat(List.of(a, b, c)).as("the queue is still over the high water").noneMatch(CompletableFuture::isDone);

        container.failOldest();

        for (CompletableFuture<Void> sent : List.of(a, b)) {
            assertThat(sent).failsWithin(Duration.ZERO).withThrowableOfType(ExecutionException.class)
                    .withMessageContaining("broken pipe");
        }
        assertThat(c).isCompletedExceptionally();
        assertThat(connection.isOpen()).isFalse();
    }

    private byte[] bytes(int length, ByteArrayOutputStream record) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        record.writeBytes(bytes);
        return bytes;
    }

    /** A container that takes one asynchronous send at a time and completes it when the test says so. */
    private static final class Container {
        private final List<byte[]> messages = new ArrayList<>();
        private final List<SendHandler> handlers = new ArrayList<>();
        private boolean open = true;
        private @Nullable Session session;

        Session session() {
            RemoteEndpoint.Async async = (RemoteEndpoint.Async) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {RemoteEndpoint.Async.class}, (proxy, method, args) -> {
                        if (!method.getName().equals("sendBinary") || args.length != 2) {
                            throw new UnsupportedOperationException(method.getName());
                        }
                        assertThat(handlers).as("one send at a time").isEmpty();
                        ByteBuffer message = (ByteBuffer) args[0];
                        byte[] copy = new byte[message.remaining()];
                        message.get(copy);
                        messages.add(copy);
                        handlers.add((SendHandler) args[1]);
                        return null;
                    });
            session = (Session) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Session.class},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "getAsyncRemote" -> async;
                        case "isOpen" -> open;
                        case "close" -> {
                            open = false;
                            yield null;
                        }
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
            return session;
        }

        List<byte[]> messages() {
            return messages;
        }

        int pending() {
            return handlers.size();
        }

        void completeOldest() {
            handlers.remove(0).onResult(new SendResult(session));
        }

        void failOldest() {
            handlers.remove(0).onResult(new SendResult(session, new IOException("broken pipe")));
        }
    }
}
