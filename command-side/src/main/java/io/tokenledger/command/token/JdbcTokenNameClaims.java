package io.tokenledger.command.token;

import io.tokenledger.api.token.TokenId;
import io.tokenledger.api.user.UserId;
import java.util.Locale;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Token name claims in the {@code token_name_claim} table, inside the command's transaction. */
@Component
class JdbcTokenNameClaims implements TokenNameClaims {
    private final JdbcTemplate jdbc;

    JdbcTokenNameClaims(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public boolean claim(UserId ownerId, String name, TokenId tokenId) {
        return jdbc.update("""
                INSERT INTO token_name_claim (owner_id, name_key, token_id) VALUES (?, ?, ?)
                ON CONFLICT (owner_id, name_key) DO NOTHING""",
                ownerId.value(), name.strip().toLowerCase(Locale.ROOT), tokenId.value()) == 1;
    }

    @Override
    public void release(TokenId tokenId) {
        jdbc.update("DELETE FROM token_name_claim WHERE token_id = ?", tokenId.value());
    }
}
