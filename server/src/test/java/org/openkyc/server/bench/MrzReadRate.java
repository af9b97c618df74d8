package org.openkyc.server.bench;

import java.time.Clock;
import java.util.Random;
import org.bytedeco.opencv.global.opencv_core;
import org.openkyc.server.document.DocumentReading;
import org.openkyc.server.document.MrzFormat;
import org.openkyc.server.document.MrzResult;
import org.openkyc.server.document.MrzStatus;
import org.openkyc.server.document.OpenCvDocumentReader;
import org.openkyc.server.document.SyntheticDocuments;
import org.openkyc.server.vision.TestVision;

/**
 * MRZ read rate on synthetic documents: for each degradation level, N random
 * identities per format; "read" means every check holds AND the fields equal the
 * rendered identity; "wrong" counts valid readings that differ (must be 0).
 * Usage: MrzReadRate [documentsPerFormatAndLevel, default 25]
 */
public final class MrzReadRate {

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 25;
        opencv_core.setNumThreads(1);
        Random rnd = new Random(20261122);
        System.out.printf("| level | documents | read (all checks valid, fields right) | checks failed | not found | wrong but valid | mean ms |%n");
        System.out.printf("|---|---|---|---|---|---|---|%n");
        try (OpenCvDocumentReader reader = new OpenCvDocumentReader(TestVision.config(), Clock.systemUTC())) {
            reader.read(TestVision.resource("passport-td3-specimen.png"));  // warm-up
            for (SyntheticDocuments.Degradation level : SyntheticDocuments.LEVELS) {
                int total = 0;
                int read = 0;
                int failed = 0;
                int missing = 0;
                int wrong = 0;
                long nanos = 0;
                for (MrzFormat f : MrzFormat.values()) {
                    for (int i = 0; i < n; i++) {
                        SyntheticDocuments.Identity id = SyntheticDocuments.randomIdentity(rnd, f);
                        byte[] img = SyntheticDocuments.degrade(SyntheticDocuments.render(id, null, rnd), level, rnd);
                        long t0 = System.nanoTime();
                        DocumentReading d = reader.read(img);
                        nanos += System.nanoTime() - t0;
                        total++;
                        if (d.mrzStatus() == MrzStatus.VALID) {
                            MrzResult m = d.mrz().get();
                            if (m.lines().equals(id.lines())) {
                                read++;
                            } else {
                                wrong++;
                            }
                        } else if (d.mrzStatus() == MrzStatus.CHECKS_FAILED) {
                            failed++;
                        } else {
                            missing++;
                        }
                    }
                }
                System.out.printf("| %s | %d | %d (%.1f %%) | %d | %d | %d | %.0f |%n", level.name(), total, read,
                        100.0 * read / total, failed, missing, wrong, nanos / 1e6 / total);
            }
        }
    }
}
