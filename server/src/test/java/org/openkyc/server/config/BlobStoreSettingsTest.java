package org.openkyc.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OPENKYC_BLOB_STORE and the S3 settings: defaults, secrets from files, and refusals that name the variable. */
class BlobStoreSettingsTest {

    private static ServerConfig config(String... kv) {
        return ServerConfig.fromEnvironment(ServerConfigLimitsTest.env(kv));
    }

    private static String[] s3(String... more) {
        String[] base = {"OPENKYC_BLOB_STORE", "s3", "OPENKYC_S3_BUCKET", "kyc-blobs",
                "AWS_ACCESS_KEY_ID", "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY", "secret-example-key"};
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    @Test
    void theFileStoreIsTheDefault() {
        assertThat(config().objectStorage().kind()).isEqualTo(ObjectStorageConfig.Kind.FILE);
        assertThat(config("OPENKYC_BLOB_STORE", "file").objectStorage().kind())
                .isEqualTo(ObjectStorageConfig.Kind.FILE);
    }

    @Test
    void s3WithItsDefaults() {
        ObjectStorageConfig c = config(s3()).objectStorage();
        assertThat(c.kind()).isEqualTo(ObjectStorageConfig.Kind.S3);
        assertThat(c.endpoint()).isEmpty();
        assertThat(c.region()).isEqualTo("us-east-1");
        assertThat(c.bucket()).isEqualTo("kyc-blobs");
        assertThat(c.pathStyle()).isTrue();
        assertThat(c.accessKeyId()).isEqualTo("AKIDEXAMPLE");
        assertThat(c.sessionToken()).isEmpty();
        assertThat(c.connectTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(c.callTimeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void s3WithEverythingSet() {
        ObjectStorageConfig c = config(s3("OPENKYC_S3_ENDPOINT", "http://seaweedfs:8333",
                "OPENKYC_S3_REGION", "eu-central-1", "OPENKYC_S3_PATH_STYLE", "false",
                "OPENKYC_S3_CONNECT_TIMEOUT_MS", "500", "OPENKYC_S3_TIMEOUT_MS", "5000",
                "AWS_SESSION_TOKEN", "token")).objectStorage();
        assertThat(c.endpoint()).contains(URI.create("http://seaweedfs:8333"));
        assertThat(c.region()).isEqualTo("eu-central-1");
        assertThat(c.pathStyle()).isFalse();
        assertThat(c.connectTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.callTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.sessionToken()).isEqualTo(Optional.of("token"));
    }

    @Test
    void credentialsFromSecretFiles(@TempDir Path dir) throws Exception {
        Path id = Files.writeString(dir.resolve("id"), "AKIDFROMFILE\n");
        Path secret = Files.writeString(dir.resolve("secret"), "secret-from-file\n");
        ObjectStorageConfig c = config("OPENKYC_BLOB_STORE", "s3", "OPENKYC_S3_BUCKET", "kyc-blobs",
                "AWS_ACCESS_KEY_ID_FILE", id.toString(), "AWS_SECRET_ACCESS_KEY_FILE", secret.toString())
                .objectStorage();
        assertThat(c.accessKeyId()).isEqualTo("AKIDFROMFILE");
        assertThat(c.secretAccessKey()).isEqualTo("secret-from-file");
        assertThatThrownBy(() -> config("OPENKYC_BLOB_STORE", "s3", "OPENKYC_S3_BUCKET", "kyc-blobs",
                "AWS_ACCESS_KEY_ID", "x", "AWS_SECRET_ACCESS_KEY_FILE", dir.resolve("missing").toString()))
                .hasMessageStartingWith("AWS_SECRET_ACCESS_KEY_FILE cannot be read");
    }

    @Test
    void theDatabasePasswordFromASecretFile(@TempDir Path dir) throws Exception {
        Path pw = Files.writeString(dir.resolve("mysql_password"), "s3cret-db\n");
        assertThat(config("MYSQL_PASSWORD_FILE", pw.toString()).dbPassword()).isEqualTo("s3cret-db");
        assertThat(config("MYSQL_PASSWORD", "direct", "MYSQL_PASSWORD_FILE", pw.toString()).dbPassword())
                .isEqualTo("direct");
        assertThatThrownBy(() -> config("MYSQL_PASSWORD_FILE", dir.resolve("none").toString()))
                .hasMessageStartingWith("MYSQL_PASSWORD_FILE cannot be read");
    }

    @Test
    void theSecretIsNeverPrinted() {
        ServerConfig c = config(s3());
        assertThat(c.toString()).contains("bucket=kyc-blobs").doesNotContain("secret-example-key");
    }

    @Test
    void refusalsNameTheVariable() {
        assertThatThrownBy(() -> config("OPENKYC_BLOB_STORE", "gcs")).hasMessageStartingWith("OPENKYC_BLOB_STORE");
        assertThatThrownBy(() -> config("OPENKYC_BLOB_STORE", "s3", "AWS_ACCESS_KEY_ID", "a",
                "AWS_SECRET_ACCESS_KEY", "b")).hasMessageStartingWith("OPENKYC_S3_BUCKET is required");
        assertThatThrownBy(() -> config(s3("OPENKYC_S3_BUCKET", "Not_A_Bucket")))
                .hasMessageStartingWith("OPENKYC_S3_BUCKET must be a bucket name");
        assertThatThrownBy(() -> config("OPENKYC_BLOB_STORE", "s3", "OPENKYC_S3_BUCKET", "kyc-blobs"))
                .hasMessageContaining("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
        assertThatThrownBy(() -> config(s3("OPENKYC_S3_ENDPOINT", "ftp://store")))
                .hasMessageStartingWith("OPENKYC_S3_ENDPOINT");
        assertThatThrownBy(() -> config(s3("OPENKYC_S3_ENDPOINT", "http://store:8333/some/path")))
                .hasMessageStartingWith("OPENKYC_S3_ENDPOINT");
        assertThatThrownBy(() -> config(s3("OPENKYC_S3_REGION", "Mars 1"))).hasMessageStartingWith("OPENKYC_S3_REGION");
        assertThatThrownBy(() -> config(s3("OPENKYC_S3_PATH_STYLE", "maybe")))
                .hasMessageStartingWith("OPENKYC_S3_PATH_STYLE");
        assertThatThrownBy(() -> config(s3("OPENKYC_S3_TIMEOUT_MS", "10")))
                .hasMessageStartingWith("OPENKYC_S3_TIMEOUT_MS");
        assertThatThrownBy(() -> config(s3("OPENKYC_S3_CONNECT_TIMEOUT_MS", "0")))
                .hasMessageStartingWith("OPENKYC_S3_CONNECT_TIMEOUT_MS");
    }
}
