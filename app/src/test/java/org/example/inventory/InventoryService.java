package org.example.inventory;

import java.util.List;
import java.util.Map;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerAutoConfiguration;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.web.OAuth2ResourceServerWebSecurityAutoConfiguration;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Another service of the platform, protected by Token Ledger the way the README shows: Spring Boot's OAuth 2.0
 * resource server with opaque token introspection, configured by properties only
 * ({@code spring.security.oauth2.resourceserver.opaquetoken.introspection-uri}, {@code client-id},
 * {@code client-secret}). Reading the inventory takes the platform scope {@code inventory.read}, changing it
 * {@code inventory.write}. It names its auto-configurations because it shares the test class path with Token Ledger,
 * whose own (database, Axon) it must not start; a real service would use {@code @SpringBootApplication}.
 */
@SpringBootConfiguration
@ImportAutoConfiguration({TomcatServletWebServerAutoConfiguration.class, DispatcherServletAutoConfiguration.class,
        WebMvcAutoConfiguration.class, HttpMessageConvertersAutoConfiguration.class, JacksonAutoConfiguration.class,
        SecurityAutoConfiguration.class, ServletWebSecurityAutoConfiguration.class,
        SecurityFilterAutoConfiguration.class, OAuth2ResourceServerAutoConfiguration.class,
        OAuth2ResourceServerWebSecurityAutoConfiguration.class})
@RestController
public class InventoryService {

    @Bean
    SecurityFilterChain security(HttpSecurity http) throws Exception {
        return http
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers(HttpMethod.GET, "/items").hasAuthority("SCOPE_inventory.read")
                        .requestMatchers(HttpMethod.POST, "/items").hasAuthority("SCOPE_inventory.write")
                        .anyRequest().authenticated())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.disable())
                .oauth2ResourceServer(oauth -> oauth.opaqueToken(Customizer.withDefaults()))
                .build();
    }

    @GetMapping("/items")
    Map<String, Object> items(@AuthenticationPrincipal OAuth2AuthenticatedPrincipal caller) {
        return Map.of("items", List.of("bolts", "nuts"), "for", caller.getAttribute("username"));
    }

    @PostMapping("/items")
    Map<String, Object> add(@AuthenticationPrincipal OAuth2AuthenticatedPrincipal caller) {
        return Map.of("added", true, "by", caller.getAttribute("username"));
    }
}
