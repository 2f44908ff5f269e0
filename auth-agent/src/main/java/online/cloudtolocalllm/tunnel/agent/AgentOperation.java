package online.cloudtolocalllm.tunnel.agent;

/** What an agent request asks for, by its message type (draft-miller-ssh-agent, section 6.1). */
public enum AgentOperation {
    /** SSH_AGENTC_REQUEST_IDENTITIES (11). */
    LIST_IDENTITIES,
    /** SSH_AGENTC_SIGN_REQUEST (13). */
    SIGN,
    /** SSH_AGENTC_ADD_IDENTITY (17) and SSH_AGENTC_ADD_ID_CONSTRAINED (25). */
    ADD_IDENTITY,
    /** SSH_AGENTC_REMOVE_IDENTITY (18). */
    REMOVE_IDENTITY,
    /** SSH_AGENTC_REMOVE_ALL_IDENTITIES (19). */
    REMOVE_ALL_IDENTITIES,
    /** SSH_AGENTC_ADD_SMARTCARD_KEY (20) and its constrained form (26). */
    ADD_SMARTCARD_KEY,
    /** SSH_AGENTC_REMOVE_SMARTCARD_KEY (21). */
    REMOVE_SMARTCARD_KEY,
    /** SSH_AGENTC_LOCK (22). */
    LOCK,
    /** SSH_AGENTC_UNLOCK (23). */
    UNLOCK,
    /** SSH_AGENTC_EXTENSION (27), such as OpenSSH's {@code session-bind@openssh.com}. */
    EXTENSION,
    /** Anything else, including the SSH1 messages: always refused. */
    UNKNOWN;

    /** The operation a request of message type {@code type} asks for. */
    public static AgentOperation of(int type) {
        return switch (type) {
            case AgentMessages.REQUEST_IDENTITIES -> LIST_IDENTITIES;
            case AgentMessages.SIGN_REQUEST -> SIGN;
            case AgentMessages.ADD_IDENTITY, AgentMessages.ADD_ID_CONSTRAINED -> ADD_IDENTITY;
            case AgentMessages.REMOVE_IDENTITY -> REMOVE_IDENTITY;
            case AgentMessages.REMOVE_ALL_IDENTITIES -> REMOVE_ALL_IDENTITIES;
            case AgentMessages.ADD_SMARTCARD_KEY, AgentMessages.ADD_SMARTCARD_KEY_CONSTRAINED -> ADD_SMARTCARD_KEY;
            case AgentMessages.REMOVE_SMARTCARD_KEY -> REMOVE_SMARTCARD_KEY;
            case AgentMessages.LOCK -> LOCK;
            case AgentMessages.UNLOCK -> UNLOCK;
            case AgentMessages.EXTENSION -> EXTENSION;
            default -> UNKNOWN;
        };
    }

    /** The lower-case name used in policies and the CLI, such as {@code list} or {@code remove-all}. */
    public String shortName() {
        return switch (this) {
            case LIST_IDENTITIES -> "list";
            case SIGN -> "sign";
            case ADD_IDENTITY -> "add";
            case REMOVE_IDENTITY -> "remove";
            case REMOVE_ALL_IDENTITIES -> "remove-all";
            case ADD_SMARTCARD_KEY -> "add-smartcard";
            case REMOVE_SMARTCARD_KEY -> "remove-smartcard";
            case LOCK -> "lock";
            case UNLOCK -> "unlock";
            case EXTENSION -> "extension";
            case UNKNOWN -> "unknown";
        };
    }
}
