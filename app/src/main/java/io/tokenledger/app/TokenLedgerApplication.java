package io.tokenledger.app;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Token Ledger: one jar that runs any subset of the command, query and notifier roles. */
@SpringBootApplication(scanBasePackages = "io.tokenledger")
@ConfigurationPropertiesScan("io.tokenledger")
public class TokenLedgerApplication {

    public static void main(String[] args) {
        SpringApplication.run(TokenLedgerApplication.class, args);
    }
}
