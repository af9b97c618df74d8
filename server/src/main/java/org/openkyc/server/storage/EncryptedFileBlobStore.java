package org.openkyc.server.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import org.openkyc.server.common.Ids;

/**
 * A {@link BlobStore} on a local (or shared) file system. Each blob is one
 * file, AES-GCM encrypted with the blob key as associated data, written to a
 * temporary file and moved into place so a crash never leaves a partial blob.
 */
public final class EncryptedFileBlobStore implements BlobStore {

    private final Path root;
    private final AesGcm crypto;

    public EncryptedFileBlobStore(Path root, AesGcm crypto) {
        this.root = root.toAbsolutePath();
        this.crypto = crypto;
        try {
            Files.createDirectories(this.root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create blob folder " + this.root, e);
        }
    }

    /** The folder exists and this process may write into it. */
    @Override
    public boolean reachable() {
        return Files.isDirectory(root) && Files.isWritable(root);
    }

    @Override
    public String put(byte[] bytes) {
        String key = Ids.random(32);
        Path target = pathOf(key);
        try {
            Files.createDirectories(target.getParent());
            write(target, crypto.encrypt(bytes, aad(key)), false);
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store blob", e);
        }
    }

    /** Writes a temporary file and moves it into place; when {@code replace}, only over a file still there. */
    private static void write(Path target, byte[] sealed, boolean replace) throws IOException {
        Path tmp = Files.createTempFile(target.getParent(), ".upload-", ".tmp");
        try {
            Files.write(tmp, sealed);
            if (replace && !Files.exists(target)) {
                return; // deleted meanwhile: not brought back
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Override
    public String reseal(String key, boolean rewrite) {
        Path target = pathOf(key);
        try {
            AesGcm.Opened o = crypto.open(Files.readAllBytes(target), aad(key));
            if (rewrite && !o.keyId().equals(crypto.keyId())) {
                write(target, crypto.encrypt(o.plain(), aad(key)), true);
            }
            return o.keyId();
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot seal blob anew", e);
        }
    }

    @Override
    public Optional<byte[]> get(String key) {
        try {
            return Optional.of(crypto.decrypt(Files.readAllBytes(pathOf(key)), aad(key)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read blob", e);
        }
    }

    @Override
    public void delete(String key) {
        try {
            Files.deleteIfExists(pathOf(key));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete blob", e);
        }
    }

    @Override
    public boolean exists(String key) {
        return Files.exists(pathOf(key));
    }

    private Path pathOf(String key) {
        if (!Ids.plausible(key)) {
            throw new IllegalArgumentException("not a blob key");
        }
        return root.resolve(key.substring(0, 2)).resolve(key + ".blob");
    }

    private static byte[] aad(String key) {
        return ("blob:" + key).getBytes(StandardCharsets.UTF_8);
    }
}
