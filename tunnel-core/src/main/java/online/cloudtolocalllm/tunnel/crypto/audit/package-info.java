/**
 * The audit of crypto events: {@link online.cloudtolocalllm.tunnel.crypto.audit.CryptoAuditListener}, added to a
 * client or server, records each one to a {@link online.cloudtolocalllm.tunnel.crypto.audit.CryptoAudit} sink, by
 * default the logger {@code online.cloudtolocalllm.tunnel.crypto.audit}.
 */
@NullMarked
package online.cloudtolocalllm.tunnel.crypto.audit;

import org.jspecify.annotations.NullMarked;
