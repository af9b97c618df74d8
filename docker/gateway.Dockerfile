# OpenKYC HTTPS gateway image. Build from the repository root:
#   docker build -f docker/gateway.Dockerfile -t openkyc-gateway .
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
# buf lint (npm) runs in CI, not in the image build.
RUN mvn -q -B -pl gateway -am install -DskipTests -Dexec.skip=true

FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 openkyc && mkdir -p /var/lib/openkyc/tls && chown -R openkyc /var/lib/openkyc
COPY --from=build /src/gateway/target/lib/ /opt/openkyc/lib/
COPY --from=build /src/gateway/target/openkyc-gateway-*.jar /opt/openkyc/openkyc-gateway.jar
COPY config/logback.xml /opt/openkyc/logback.xml
USER openkyc
ENV OPENKYC_DEV_CERT_DIR=/var/lib/openkyc/tls
EXPOSE 8443
ENTRYPOINT ["java", "-Dlogback.configurationFile=/opt/openkyc/logback.xml", "-jar", "/opt/openkyc/openkyc-gateway.jar"]
