package org.openkyc.server.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.opencv.opencv_core.Mat;
import org.openkyc.server.face.FaceAnalyzer;
import org.openkyc.server.face.FaceImages;
import org.openkyc.server.face.OpenCvFaceEngine;
import org.openkyc.server.face.Portrait;
import org.openkyc.server.face.SimilarityScale;
import org.openkyc.server.vision.TestVision;

/** Same-person and different-person cosine and score distributions on the test portraits. */
public final class FaceSimilarityReport {

    public static void main(String[] args) {
        try (OpenCvFaceEngine engine = new OpenCvFaceEngine(TestVision.config())) {
            FaceAnalyzer an = engine.analyzer();
            Map<String, List<float[]>> people = new LinkedHashMap<>();
            for (Map.Entry<String, Mat> p : Map.of("astronaut", FaceImages.astronaut(), "hopper", FaceImages.hopper()).entrySet()) {
                List<float[]> embs = new ArrayList<>();
                embs.add(an.embed(p.getValue(), an.detect(p.getValue()).get(0)));
                for (Mat v : FaceImages.sameFaceVariants(p.getValue()).values()) {
                    embs.add(an.embed(v, an.detect(v).get(0)));
                }
                people.put(p.getKey(), embs);
            }
            Portrait specimen = engine.portraitFromDocument(TestVision.resource("passport-td3-specimen.png")).orElseThrow();
            people.put("specimen-portrait", List.of(specimen.embedding()));
            List<Double> same = new ArrayList<>();
            List<Double> diff = new ArrayList<>();
            List<String> names = new ArrayList<>(people.keySet());
            for (int i = 0; i < names.size(); i++) {
                List<float[]> a = people.get(names.get(i));
                for (int x = 0; x < a.size(); x++) {
                    for (int y = x + 1; y < a.size(); y++) {
                        same.add(FaceAnalyzer.cosine(a.get(x), a.get(y)));
                    }
                }
                for (int j = i + 1; j < names.size(); j++) {
                    for (float[] e : a) {
                        for (float[] f : people.get(names.get(j))) {
                            diff.add(FaceAnalyzer.cosine(e, f));
                        }
                    }
                }
            }
            print("same person (original + 8 variants each, all pairs)", same);
            print("different people (every cross pair incl. the specimen portrait)", diff);
        }
    }

    private static void print(String label, List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        s.sort(Double::compare);
        System.out.printf("| %s | %d | %.3f | %.3f | %.3f | %.1f / %.1f / %.1f |%n", label, s.size(), s.get(0),
                s.get(s.size() / 2), s.get(s.size() - 1), SimilarityScale.score(s.get(0)),
                SimilarityScale.score(s.get(s.size() / 2)), SimilarityScale.score(s.get(s.size() - 1)));
    }
}
