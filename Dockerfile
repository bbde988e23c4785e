# Image of the one Token Ledger jar, hardened: the jar's layers (dependencies change seldom, the application on every
# build) so that a rebuild moves only the last one, a non-root user, the heap sized from the container's memory
# limit, a health check, and the prod profile (an external PostgreSQL and SMTP server are required).
# Build the jar first: ./mvnw -B package -DskipTests && docker build -t tokenledger .
FROM eclipse-temurin:17-jre AS layers
WORKDIR /build
COPY app/target/tokenledger.jar tokenledger.jar
RUN java -Djarmode=tools -jar tokenledger.jar extract --layers --launcher --destination extracted

FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 tokenledger \
 && useradd --system --uid 10001 --gid tokenledger --home-dir /app --no-create-home --shell /usr/sbin/nologin tokenledger
WORKDIR /app
COPY --from=layers /build/extracted/dependencies/ ./
COPY --from=layers /build/extracted/spring-boot-loader/ ./
COPY --from=layers /build/extracted/snapshot-dependencies/ ./
COPY --from=layers /build/extracted/application/ ./
# Numeric, so that a runtime refusing root (Kubernetes' runAsNonRoot) can tell without the image's passwd file.
USER 10001:10001
# The JVM sees the container's memory limit: the heap takes 75 % of it, the rest is metaspace, threads and buffers.
# An OutOfMemoryError ends the process, and the orchestrator starts a fresh one, rather than leaving it half working.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError" \
    SPRING_PROFILES_ACTIVE=prod \
    TOKENLEDGER_METRICS_PORT=9464
# 8080: API and console; 9464: Prometheus's scrape (tokenledger.metrics.port), for the monitoring network only.
EXPOSE 8080 9464
# Ready: up and reaching its database. Bash's /dev/tcp, since the image has no HTTP client of its own to rely on.
HEALTHCHECK --interval=10s --timeout=5s --start-period=90s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /actuator/health/readiness HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -1 <&3 | grep -q ' 200 '"]
# A stop (SIGTERM) is graceful and takes at most 30 s (README, Deployment): give the container more (compose's
# stop_grace_period, Kubernetes' terminationGracePeriodSeconds).
STOPSIGNAL SIGTERM
ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]
