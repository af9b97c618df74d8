# OpenKYC HTTPS gateway image. Build from the repository root:
#   docker build -f docker/gateway.Dockerfile -t openkyc-gateway .
# The reviewer console (TypeScript, built with npm from its lock file), served by the gateway at /console.
FROM node:20-bookworm-slim AS console
WORKDIR /console
COPY console/package.json console/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY console/ ./
RUN npm run build

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
# The console compiled above goes into the gateway jar (exec.skip below also skips console/build.sh).
COPY --from=console /console/dist/ /src/console/dist/
# buf lint (npm) runs in CI, not in the image build.
RUN mvn -q -B -pl gateway -am install -DskipTests -Dexec.skip=true

FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 openkyc && mkdir -p /var/lib/openkyc/tls && chown -R openkyc /var/lib/openkyc
COPY --from=build /src/gateway/target/lib/ /opt/openkyc/lib/
COPY --from=build /src/gateway/target/openkyc-gateway-*.jar /opt/openkyc/openkyc-gateway.jar
COPY config/logback.xml /opt/openkyc/logback.xml
USER openkyc
ENV OPENKYC_DEV_CERT_DIR=/var/lib/openkyc/tls
# Memory: the gateway analyses nothing; it holds request bodies while it forwards them (at most
# OPENKYC_GATEWAY_MAX_UPLOAD_BYTES 20 MB per image upload, 60 MB per liveness verify of three videos, 25 MB per
# JSON body) in heap and in Netty's direct buffers. Heap 768 MB + direct 512 MB + JVM ~0.2 GB:
# give the container 1.5 GiB.
EXPOSE 8443
ENTRYPOINT ["java", "-Xms256m", "-Xmx768m", "-XX:MaxDirectMemorySize=512m", "-XX:MaxMetaspaceSize=192m", \
    "-Xss1m", "-Dlogback.configurationFile=/opt/openkyc/logback.xml", "-jar", "/opt/openkyc/openkyc-gateway.jar"]
