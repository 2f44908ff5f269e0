/**
 * The {@code tunnel} command line: {@link online.cloudtolocalllm.tunnel.cli.TunnelCli} and one class per subcommand,
 * built on the public tunnel API.
 */
@NullMarked
package online.cloudtolocalllm.tunnel.cli;

import org.jspecify.annotations.NullMarked;
