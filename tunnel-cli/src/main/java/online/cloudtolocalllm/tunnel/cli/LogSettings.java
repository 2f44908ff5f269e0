package online.cloudtolocalllm.tunnel.cli;

/**
 * The slf4j-simple settings of the command: libraries log warnings only, and tunnel events are left to the CLI,
 * which prints them itself (so are failed SSH handshakes, which sshd would also log as warnings). A {@code -D} system
 * property given on the java command line wins.
 */
final class LogSettings {
    private static final String PREFIX = "org.slf4j.simpleLogger.";

    private LogSettings() {
    }

    static void applyDefaults() {
        setIfAbsent("defaultLogLevel", "warn");
        setIfAbsent("log.online.cloudtolocalllm.tunnel.core.EventPublisher", "off");
        setIfAbsent("log.org.apache.sshd", "error");
        setIfAbsent("showDateTime", "true");
        setIfAbsent("dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
    }

    /** Raises the level to info; effective as long as no logger has been made yet, which parsing ensures. */
    static void verbose() {
        System.setProperty(PREFIX + "defaultLogLevel", "info");
        System.setProperty(PREFIX + "log.org.apache.sshd", "info");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(PREFIX + key) == null) {
            System.setProperty(PREFIX + key, value);
        }
    }
}
