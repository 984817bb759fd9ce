package org.proxynas.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proxynas.common.UserError;

/** A driver's Spark settings hold the cluster's security whatever the system properties say; master URLs parse. */
class SparkSecurityTest {
    @TempDir
    Path tmp;

    @Test
    void aDriverGetsEverySettingAndTheSecretButNoWeakerValue() throws IOException {
        ClusterSecret secret = ClusterSecret.createIfAbsent(tmp.resolve("spark.secret"),
                new PrintStream(new ByteArrayOutputStream()));
        SparkConf conf = new SparkConf(false);
        SparkSecurity.apply(conf, secret);
        SparkSecurity.SETTINGS.forEach((key, value) -> assertThat(conf.get(key)).as(key).isEqualTo(value));
        assertThat(conf.get("spark.authenticate.secret")).isEqualTo(secret.value());

        assertThatThrownBy(() -> SparkSecurity.apply(new SparkConf(false).set("spark.authenticate", "false"), secret))
                .isInstanceOf(UserError.class).hasMessageStartingWith("--cluster: spark.authenticate=false would open");
        assertThatThrownBy(() -> SparkSecurity.apply(new SparkConf(false).set("spark.authenticate.secret", "x"), secret))
                .isInstanceOf(UserError.class).hasMessageContaining("every local user can read a command line");
    }

    @Test
    void onlyStandaloneMasterUrlsAreMasters() {
        assertThat(SparkSecurity.masters("spark://a:7077,b:7078", "--cluster: "))
                .containsExactly(URI.create("spark://a:7077"), URI.create("spark://b:7078"));
        for (String url : new String[] {"http://a:8080", "spark://a", "spark://a:7077,", "yarn", "local[2]"}) {
            assertThatThrownBy(() -> SparkSecurity.masters(url, "--cluster: ")).as(url)
                    .isInstanceOf(UserError.class)
                    .hasMessage("--cluster: '" + url + "' is not a Spark standalone master URL, spark://HOST:PORT"
                            + " (./proxynas spark-master prints it)");
        }
    }
}
