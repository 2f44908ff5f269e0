package online.cloudtolocalllm.tunnel.cli;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import online.cloudtolocalllm.tunnel.core.Tokens;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tunnel token}: mints an HS256 token and prints it, alone, on standard output. */
@Command(name = "token",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        header = "Prints a token (JWT) for a user.",
        description = {
                "Mints a JWT (HS256) for a user, signed with the secret a server has in --jwt-secret, and prints it "
                        + "on standard output with nothing else. Clients log in with it, and ingress requests carry "
                        + "it as 'Authorization: Bearer <token>'.",
                ""},
        footerHeading = "%nExamples:%n",
        footer = {
                "  tunnel token --secret \"$SECRET\" --user alice",
                "  JWT=$(tunnel token --secret \"$SECRET\" --user alice --ttl 30m)"})
final class TokenCommand implements Callable<Integer> {
    private static final int MIN_SECRET_BYTES = 32;

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--secret", paramLabel = "SECRET", required = true,
            description = "The server's HS256 secret, at least 32 bytes.")
    String secret;

    @Option(names = "--user", paramLabel = "NAME", required = true, description = "The user, the token's subject (sub).")
    String user;

    @Option(names = "--ttl", paramLabel = "DURATION", defaultValue = "1h",
            description = "How long the token is valid, like 30m, 1h or 7d. Default: ${DEFAULT-VALUE}.")
    Duration ttl;

    @Override
    public Integer call() {
        if (secret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
            throw new ParameterException(spec.commandLine(), "--secret must be at least " + MIN_SECRET_BYTES + " bytes for HS256");
        }
        if (user.isBlank()) {
            throw new ParameterException(spec.commandLine(), "--user is blank");
        }
        if (ttl.isNegative() || ttl.isZero()) {
            throw new ParameterException(spec.commandLine(), "--ttl must be positive, was " + ttl);
        }
        spec.commandLine().getOut().println(Tokens.mint(secret, user, Instant.now(), ttl));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
