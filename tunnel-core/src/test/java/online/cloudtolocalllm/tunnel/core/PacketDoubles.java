package online.cloudtolocalllm.tunnel.core;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;

/** Stand-ins for the parts of sshd a data packet meets on its way out, for tests of that way alone. */
final class PacketDoubles {
    private PacketDoubles() {
    }

    /** A session that makes packet buffers as sshd's sessions do: five bytes reserved, then the command. */
    static Session session() {
        return (Session) Proxy.newProxyInstance(Session.class.getClassLoader(), new Class<?>[] {Session.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("createBuffer")) {
                        Buffer buffer = new ByteArrayBuffer(new byte[(int) args[1] + 64], false);
                        buffer.rpos(5);
                        buffer.wpos(5);
                        buffer.putByte((byte) args[0]);
                        return buffer;
                    }
                    return defaultValue(method.getReturnType());
                });
    }

    /**
     * A channel of {@code session} to {@code recipient}; {@code more} answers any other method, or returns null to
     * leave it the default (zero, false or null).
     */
    static EofOnCloseOutputStream.Channel channel(Session session, long recipient, InvocationHandler more) {
        return (EofOnCloseOutputStream.Channel) Proxy.newProxyInstance(EofOnCloseOutputStream.Channel.class.getClassLoader(),
                new Class<?>[] {EofOnCloseOutputStream.Channel.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getSession" -> session;
                    case "getRecipient" -> recipient;
                    case "toString" -> "test channel";
                    case "hashCode" -> 1;
                    case "equals" -> proxy == args[0];
                    default -> {
                        Object answer = more.invoke(proxy, method, args);
                        yield answer != null ? answer : defaultValue(method.getReturnType());
                    }
                });
    }

    private static Object defaultValue(Class<?> type) {
        if (type == boolean.class) {
            return false;
        }
        if (type == long.class) {
            return 0L;
        }
        if (type == int.class) {
            return 0;
        }
        return null;
    }
}
