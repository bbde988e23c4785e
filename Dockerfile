# Image of the one Token Ledger jar; build it first with `./mvnw -B package -DskipTests`.
FROM eclipse-temurin:17-jre
WORKDIR /app
COPY app/target/tokenledger.jar /app/tokenledger.jar
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/app/tokenledger.jar"]
