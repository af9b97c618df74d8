# OpenKYC gRPC server image. Build from the repository root:
#   docker build -f docker/server.Dockerfile -t openkyc-server .
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
# buf lint (npm) runs in CI, not in the image build.
RUN mvn -q -B -pl server -am install -DskipTests -Dexec.skip=true
# Models, OCR data and the gazetteer come from the build context's .cache: run
# bin/setup before building the image. The server refuses to start without the
# MRZ OCR model; without the gazetteer only POST /v2/address_code answers 503.
RUN mkdir -p .cache

FROM eclipse-temurin:17-jre
# Fonts embedded in AML PDF reports: Latin and Thai (Noto), Hangul (Nanum).
RUN apt-get update && apt-get install -y --no-install-recommends fonts-noto-core fonts-nanum \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --system --uid 10001 openkyc && mkdir -p /var/lib/openkyc/blobs && chown -R openkyc /var/lib/openkyc
COPY --from=build /src/server/target/lib/ /opt/openkyc/lib/
COPY --from=build /src/server/target/openkyc-server-*.jar /opt/openkyc/openkyc-server.jar
COPY config/logback.xml /opt/openkyc/logback.xml
COPY --from=build /src/.cache/ /opt/openkyc/cache/
USER openkyc
ENV OPENKYC_BLOB_DIR=/var/lib/openkyc/blobs
ENV OPENKYC_CACHE_DIR=/opt/openkyc/cache
# Memory (BENCHMARKS.md, "Memory of heavy calls"): image and video analysis runs outside the Java
# heap. At the default image limits one heavy call needs at most ~0.8 GB there for an image and
# ~1.6 GB for a liveness verify of three 4K videos; at most OPENKYC_VISION_CONCURRENCY such calls
# run, OPENKYC_VISION_QUEUE wait, the rest get 503 with Retry-After. This image runs 2 at once:
#   heap 1.5 GB + direct buffers 0.5 GB + JVM, models and OCR engines ~0.5 GB + 2 x 1.6 GB
#   = about 5.7 GB: give the container 6 GiB (docker run -m 6g, compose mem_limit: 6g), and
#   1.6 GB more per extra concurrent heavy call.
# MALLOC_ARENA_MAX keeps glibc from holding freed image buffers in one arena per thread.
# JavaCPP's maxPhysicalBytes makes an allocation past 5.5 GiB resident fail that one call
# (answered 500) instead of the kernel killing the whole server.
ENV OPENKYC_VISION_CONCURRENCY=2
ENV OPENKYC_VISION_QUEUE=4
ENV MALLOC_ARENA_MAX=2
EXPOSE 9090
ENTRYPOINT ["java", "-Xms512m", "-Xmx1536m", "-XX:MaxDirectMemorySize=512m", "-XX:MaxMetaspaceSize=256m", \
    "-XX:ReservedCodeCacheSize=128m", "-Xss1m", "-Dorg.bytedeco.javacpp.maxPhysicalBytes=5905580032", \
    "-Dlogback.configurationFile=/opt/openkyc/logback.xml", "-jar", "/opt/openkyc/openkyc-server.jar"]
CMD ["serve"]
