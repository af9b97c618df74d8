package org.openkyc.server.screening;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/** Reads one source's files from the sanctions folder. */
public interface ListParser {

    /** The source name recorded with every screening, e.g. "OFAC SDN". */
    String source();

    /** The files of this source present in the folder; empty when the source is absent. */
    List<Path> files(Path dir);

    /** Parses the source's files. */
    SanctionsList parse(Path dir, Instant loadedAt) throws ListFormatException;

    /** The first of the accepted file names present in the folder, as a one-element list; else empty. */
    static List<Path> firstPresent(Path dir, List<String> names) {
        for (String n : names) {
            if (Files.isRegularFile(dir.resolve(n))) {
                return List.of(dir.resolve(n));
            }
        }
        return List.of();
    }

    /** The single file of a one-file source, refused as missing when absent. */
    static Path requireSingle(List<Path> files, List<String> names) throws ListFormatException {
        if (files.isEmpty()) {
            throw new ListFormatException(names.get(0) + ": missing");
        }
        return files.get(0);
    }

    /** The SHA-256 of the files, in the given order, each preceded by its name. */
    static String sha256(List<Path> files, List<byte[]> contents) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (int i = 0; i < files.size(); i++) {
                md.update(files.get(i).getFileName().toString().getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
                md.update(contents.get(i));
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] read(Path file) throws ListFormatException {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ListFormatException(file.getFileName() + ": cannot be read (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    /** Decodes UTF-8 strictly, falling back to Windows-1252 (older OFAC files are not UTF-8). */
    static String text(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return new String(bytes, java.nio.charset.Charset.forName("windows-1252"));
        }
    }
}
