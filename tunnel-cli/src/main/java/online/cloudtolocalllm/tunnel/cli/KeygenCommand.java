package online.cloudtolocalllm.tunnel.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.concurrent.Callable;
import online.cloudtolocalllm.tunnel.api.ErrorCode;
import online.cloudtolocalllm.tunnel.api.TunnelException;
import online.cloudtolocalllm.tunnel.core.KeyFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tunnel keygen}: writes a new Ed25519 key pair in OpenSSH format and prints its fingerprint. */
@Command(name = "keygen",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        header = "Writes a new SSH key pair.",
        description = {
                "Generates an Ed25519 key pair: the private key in OpenSSH format in FILE (readable by its owner "
                        + "only) and the public key in FILE.pub, and prints the key's SHA256 fingerprint on standard "
                        + "output. Never overwrites an existing file.",
                "Add the .pub line to a server's --authorized-keys file: its comment is the user the key logs in as.",
                ""},
        footerHeading = "%nExamples:%n",
        footer = {
                "  tunnel keygen --out id_ed25519 --comment alice",
                "  tunnel client --server ws://127.0.0.1:8080 --user alice --identity id_ed25519 ..."})
final class KeygenCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "The private key file to write; FILE.pub gets the public key.")
    Path out;

    @Option(names = "--comment", paramLabel = "TEXT", defaultValue = "${sys:user.name}",
            description = "The public key's comment: the user name in an authorized_keys file. Default: the login name.")
    String comment;

    @Override
    public Integer call() {
        Path publicKey = KeyFiles.publicKeyFile(out);
        for (Path file : new Path[] {out, publicKey}) {
            if (Files.exists(file)) {
                throw new TunnelException(ErrorCode.CONFIGURATION_ERROR, file + " already exists; not overwriting it");
            }
        }
        KeyPair keys = KeyFiles.generateEd25519();
        KeyFiles.write(keys, out, comment);
        spec.commandLine().getErr().println("Wrote private key " + out + " and public key " + publicKey);
        spec.commandLine().getErr().flush();
        spec.commandLine().getOut().println(KeyFiles.fingerprint(keys.getPublic()));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
