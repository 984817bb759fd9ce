package org.proxynas.cluster;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.network.TransportContext;
import org.apache.spark.network.client.TransportClient;
import org.apache.spark.network.client.TransportClientFactory;
import org.apache.spark.network.crypto.AuthClientBootstrap;
import org.apache.spark.network.sasl.SecretKeyHolder;
import org.apache.spark.network.server.NoOpRpcHandler;
import org.apache.spark.network.util.MapConfigProvider;
import org.apache.spark.network.util.TransportConf;
import org.proxynas.common.UserError;

/**
 * What keeps a ProxyNAS Spark cluster to its own: master, workers and drivers run with {@link #SETTINGS} and one
 * {@link ClusterSecret}, so that a process without the secret can neither join nor submit work (Spark's own
 * default lets anyone who reaches the master's port run code on the workers). A worker or driver first proves
 * its secret to the master here, so a wrong one is one line within seconds rather than a silent wait.
 */
public final class SparkSecurity {
    /** Spark settings of the master, the workers and every driver (and through it, its executors). */
    public static final Map<String, String> SETTINGS = settings();

    private static final int TIMEOUT_SECONDS = 5;
    /** The user name Spark's RPC authenticates as (its {@code SecurityManager.getSaslUser()}). */
    private static final String SPARK_USER = "sparkSaslUser";

    private SparkSecurity() {}

    private static Map<String, String> settings() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("spark.authenticate", "true");
        // encrypts every RPC connection with keys from the authentication, and never falls back to the older
        // SASL exchange that only this protocol's absence would need
        s.put("spark.network.crypto.enabled", "true");
        s.put("spark.network.crypto.saslFallback", "false");
        // the web UIs have no login: they may show what runs, never stop it
        s.put("spark.ui.killEnabled", "false");
        s.put("spark.master.ui.decommission.allow.mode", "DENY");
        // Spark's REST submission server does not authenticate; off is Spark's default, kept whatever a
        // spark-defaults.conf in SPARK_CONF_DIR says
        s.put("spark.master.rest.enabled", "false");
        return Map.copyOf(s);
    }

    /**
     * The masters of a Spark master URL {@code spark://HOST:PORT[,HOST:PORT...]} as host-port pairs; a one-line
     * {@link UserError} starting with {@code option} for anything else (another scheme, no port).
     */
    public static List<URI> masters(String url, String option) {
        List<URI> masters = new ArrayList<>();
        if (url.startsWith("spark://")) {
            for (String hostPort : url.substring("spark://".length()).split(",", -1)) {
                URI uri = parse(hostPort);
                if (uri == null || uri.getHost() == null || uri.getPort() < 0) {
                    masters.clear();
                    break;
                }
                masters.add(uri);
            }
        }
        if (masters.isEmpty()) {
            throw new UserError(option + "'" + url + "' is not a Spark standalone master URL, spark://HOST:PORT"
                    + " (./proxynas spark-master prints it)");
        }
        return masters;
    }

    private static URI parse(String hostPort) {
        try {
            return new URI("spark://" + hostPort);
        } catch (java.net.URISyntaxException e) {
            return null;
        }
    }

    /**
     * Proves {@code secret} to the first of {@code masters} that answers; a one-line {@link UserError} starting
     * with {@code option} when none answers within five seconds or the one that does refuses the secret.
     */
    public static void requireAccepted(List<URI> masters, ClusterSecret secret, String option) {
        TransportConf conf = transportConf();
        SecretKeyHolder key = new SecretKeyHolder() {
            @Override
            public String getSaslUser(String appId) {
                return SPARK_USER;
            }

            @Override
            public String getSecretKey(String appId) {
                return secret.value();
            }
        };
        List<String> unreachable = new ArrayList<>();
        try (TransportContext context = new TransportContext(conf, new NoOpRpcHandler());
                TransportClientFactory clients = context.createClientFactory()) {
            for (URI master : masters) {
                String where = master.getHost() + ":" + master.getPort();
                TransportClient client;
                try {
                    client = clients.createUnmanagedClient(master.getHost(), master.getPort());
                } catch (IOException e) {
                    unreachable.add(where + " (" + rootMessage(e) + ")");
                    continue;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while connecting to " + where, e);
                }
                try {
                    // what Spark's own RPC does first on every connection, and all a wrong secret gets to do
                    new AuthClientBootstrap(conf, SPARK_USER, key).doBootstrap(client, client.getChannel());
                    return;
                } catch (RuntimeException refused) {
                    throw new UserError(option + "the Spark master at " + where + " refused the cluster secret in "
                            + secret.file() + "; give the master's secret file (./proxynas spark-master prints where"
                            + " it is) with --secret-file, or copy it to that path", refused);
                } finally {
                    client.close();
                }
            }
        }
        throw new UserError(option + "cannot reach the Spark master at " + String.join(", ", unreachable)
                + "; is it running (./proxynas spark-master)?");
    }

    /**
     * Sets {@link #SETTINGS} and {@code secret} on a driver's {@code conf}; a one-line {@link UserError} when a
     * system property asks for less security or puts the secret on the command line.
     */
    static void apply(SparkConf conf, ClusterSecret secret) {
        if (conf.contains("spark.authenticate.secret")) {
            throw new UserError("--cluster: spark.authenticate.secret must not be set: every local user can read a"
                    + " command line; the secret comes from its file (--secret-file)");
        }
        SETTINGS.forEach((key, value) -> {
            if (!conf.get(key, value).equals(value)) {
                throw new UserError("--cluster: " + key + "=" + conf.get(key) + " would open the cluster to others;"
                        + " ProxyNAS runs Spark with " + key + "=" + value + " (README, section Cluster)");
            }
            conf.set(key, value);
        });
        conf.set("spark.authenticate.secret", secret.value());
    }

    /** Spark's transport settings for the handshake: the cluster's, with short timeouts. */
    private static TransportConf transportConf() {
        Map<String, String> conf = new LinkedHashMap<>(SETTINGS);
        conf.put("spark.rpc.io.connectionTimeout", TIMEOUT_SECONDS + "s");
        conf.put("spark.rpc.io.connectionCreationTimeout", TIMEOUT_SECONDS + "s");
        conf.put("spark.network.auth.rpcTimeout", TIMEOUT_SECONDS + "s");
        return new TransportConf("rpc", new MapConfigProvider(conf));
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
