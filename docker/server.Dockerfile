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
EXPOSE 9090
ENTRYPOINT ["java", "-Dlogback.configurationFile=/opt/openkyc/logback.xml", "-jar", "/opt/openkyc/openkyc-server.jar"]
CMD ["serve"]
