package online.cloudtolocalllm.tunnel.agent;

import java.io.ByteArrayOutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The agent protocol's messages (draft-miller-ssh-agent), as far as forwarding needs them: requests are read to
 * decide and record what they ask, answers to list identities and to sign are written and read. Messages here are
 * without their four-byte length prefix.
 */
public final class AgentMessages {
    public static final int FAILURE = 5;
    public static final int SUCCESS = 6;
    public static final int REQUEST_IDENTITIES = 11;
    public static final int IDENTITIES_ANSWER = 12;
    public static final int SIGN_REQUEST = 13;
    public static final int SIGN_RESPONSE = 14;
    public static final int ADD_IDENTITY = 17;
    public static final int REMOVE_IDENTITY = 18;
    public static final int REMOVE_ALL_IDENTITIES = 19;
    public static final int ADD_SMARTCARD_KEY = 20;
    public static final int REMOVE_SMARTCARD_KEY = 21;
    public static final int LOCK = 22;
    public static final int UNLOCK = 23;
    public static final int ADD_ID_CONSTRAINED = 25;
    public static final int ADD_SMARTCARD_KEY_CONSTRAINED = 26;
    public static final int EXTENSION = 27;
    public static final int EXTENSION_FAILURE = 28;

    /** Sign flag: an RSA key signs with {@code rsa-sha2-256}. */
    public static final int RSA_SHA2_256 = 2;
    /** Sign flag: an RSA key signs with {@code rsa-sha2-512}. */
    public static final int RSA_SHA2_512 = 4;

    private static final byte[] FAILURE_MESSAGE = {FAILURE};

    private AgentMessages() {
    }

    /** A key the agent holds: its public key blob (SSH wire format) and comment. */
    public record Identity(byte[] keyBlob, String comment) {
        /** The key's SHA-256 fingerprint as OpenSSH prints it. */
        public String fingerprint() {
            return AgentMessages.fingerprint(keyBlob);
        }

        /** The key type, such as {@code ssh-ed25519}. */
        public String keyType() {
            return AgentMessages.keyType(keyBlob);
        }
    }

    /**
     * A request, read far enough to decide on it and record it.
     *
     * @param type the message type
     * @param operation what it asks for
     * @param keyBlob the key it concerns (sign, remove), if any
     * @param flags the sign flags
     * @param extension the extension name, for {@link AgentOperation#EXTENSION}
     */
    public record Request(int type, AgentOperation operation, byte @Nullable [] keyBlob, int flags, @Nullable String extension) {
        /** The fingerprint of the key concerned, if any. */
        public @Nullable String fingerprint() {
            return keyBlob == null ? null : AgentMessages.fingerprint(keyBlob);
        }
    }

    /** Reads what {@code message} asks for; a malformed one reads as {@link AgentOperation#UNKNOWN}. */
    public static Request parse(byte[] message) {
        if (message.length == 0) {
            return new Request(-1, AgentOperation.UNKNOWN, null, 0, null);
        }
        int type = message[0] & 0xff;
        AgentOperation operation = AgentOperation.of(type);
        ByteBuffer in = ByteBuffer.wrap(message, 1, message.length - 1);
        try {
            return switch (operation) {
                case SIGN -> {
                    byte[] key = string(in);
                    string(in);
                    yield new Request(type, operation, key, in.getInt(), null);
                }
                case REMOVE_IDENTITY -> new Request(type, operation, string(in), 0, null);
                case EXTENSION -> new Request(type, operation, null, 0, new String(string(in), StandardCharsets.UTF_8));
                default -> new Request(type, operation, null, 0, null);
            };
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            return new Request(type, AgentOperation.UNKNOWN, null, 0, null);
        }
    }

    /** SSH_AGENT_FAILURE. */
    public static byte[] failure() {
        return FAILURE_MESSAGE.clone();
    }

    /** SSH_AGENTC_REQUEST_IDENTITIES. */
    public static byte[] requestIdentities() {
        return new byte[] {REQUEST_IDENTITIES};
    }

    /** SSH_AGENTC_SIGN_REQUEST for {@code data} with the key {@code keyBlob}. */
    public static byte[] signRequest(byte[] keyBlob, byte[] data, int flags) {
        Writer out = new Writer(SIGN_REQUEST);
        out.string(keyBlob);
        out.string(data);
        out.uint32(flags);
        return out.bytes();
    }

    /** SSH_AGENTC_REMOVE_IDENTITY for the key {@code keyBlob}. */
    public static byte[] removeIdentity(byte[] keyBlob) {
        Writer out = new Writer(REMOVE_IDENTITY);
        out.string(keyBlob);
        return out.bytes();
    }

    /** SSH_AGENTC_IDENTITIES_ANSWER listing {@code identities}. */
    public static byte[] identitiesAnswer(List<Identity> identities) {
        Writer out = new Writer(IDENTITIES_ANSWER);
        out.uint32(identities.size());
        for (Identity identity : identities) {
            out.string(identity.keyBlob());
            out.string(identity.comment().getBytes(StandardCharsets.UTF_8));
        }
        return out.bytes();
    }

    /** The keys an SSH_AGENT_IDENTITIES_ANSWER lists; throws IllegalArgumentException if {@code answer} is not one. */
    public static List<Identity> identities(byte[] answer) {
        requireType(answer, IDENTITIES_ANSWER, "an identities answer");
        ByteBuffer in = ByteBuffer.wrap(answer, 1, answer.length - 1);
        try {
            int count = in.getInt();
            if (count < 0 || count > 4096) {
                throw new IllegalArgumentException("An identities answer with " + count + " keys");
            }
            List<Identity> identities = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                identities.add(new Identity(string(in), new String(string(in), StandardCharsets.UTF_8)));
            }
            return identities;
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("A truncated identities answer", e);
        }
    }

    /** SSH_AGENT_SIGN_RESPONSE with {@code signatureBlob} (the algorithm name and signature, as SSH writes them). */
    public static byte[] signResponse(byte[] signatureBlob) {
        Writer out = new Writer(SIGN_RESPONSE);
        out.string(signatureBlob);
        return out.bytes();
    }

    /** The signature blob of an SSH_AGENT_SIGN_RESPONSE; throws IllegalArgumentException if {@code answer} is not one. */
    public static byte[] signature(byte[] answer) {
        requireType(answer, SIGN_RESPONSE, "a sign response");
        try {
            return string(ByteBuffer.wrap(answer, 1, answer.length - 1));
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("A truncated sign response", e);
        }
    }

    /** Whether {@code answer} says the request worked (anything but a failure message). */
    public static boolean succeeded(byte[] answer) {
        if (answer.length == 0) {
            return false;
        }
        int type = answer[0] & 0xff;
        return type != FAILURE && type != EXTENSION_FAILURE && type != 30 && type != 102;
    }

    /** The SHA-256 fingerprint of a public key blob, {@code SHA256:base64} as OpenSSH prints it. */
    public static String fingerprint(byte[] keyBlob) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(keyBlob);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /** The key type a public key blob starts with, such as {@code ssh-ed25519}; {@code unknown} if unreadable. */
    public static String keyType(byte[] keyBlob) {
        try {
            return new String(string(ByteBuffer.wrap(keyBlob)), StandardCharsets.US_ASCII);
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            return "unknown";
        }
    }

    private static void requireType(byte[] answer, int type, String what) {
        if (answer.length == 0 || (answer[0] & 0xff) != type) {
            throw new IllegalArgumentException("Expected " + what + " (" + type + "), got message type "
                    + (answer.length == 0 ? "none" : Integer.toString(answer[0] & 0xff)));
        }
    }

    private static byte[] string(ByteBuffer in) {
        int length = in.getInt();
        if (length < 0 || length > in.remaining()) {
            throw new IllegalArgumentException("A string of " + Integer.toUnsignedString(length) + " bytes with "
                    + in.remaining() + " left");
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return bytes;
    }

    /** Builds one message: its type, then fields. */
    private static final class Writer {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream(64);

        Writer(int type) {
            out.write(type);
        }

        void uint32(int value) {
            out.write(value >>> 24);
            out.write(value >>> 16);
            out.write(value >>> 8);
            out.write(value);
        }

        void string(byte[] bytes) {
            uint32(bytes.length);
            out.writeBytes(bytes);
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
