# OpenKYC gRPC server image. Build from the repository root:
#   docker build -f docker/server.Dockerfile -t openkyc-server .
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -q -B -pl server -am install -DskipTests

FROM eclipse-temurin:17-jre
# Fonts embedded in AML PDF reports: Latin and Thai (Noto), Hangul (Nanum).
RUN apt-get update && apt-get install -y --no-install-recommends fonts-noto-core fonts-nanum \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --system --uid 10001 openkyc && mkdir -p /var/lib/openkyc/blobs && chown -R openkyc /var/lib/openkyc
COPY --from=build /src/server/target/lib/ /opt/openkyc/lib/
COPY --from=build /src/server/target/openkyc-server-*.jar /opt/openkyc/openkyc-server.jar
USER openkyc
ENV OPENKYC_BLOB_DIR=/var/lib/openkyc/blobs
EXPOSE 9090
ENTRYPOINT ["java", "-jar", "/opt/openkyc/openkyc-server.jar"]
CMD ["serve"]
