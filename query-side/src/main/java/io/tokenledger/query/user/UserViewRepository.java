package io.tokenledger.query.user;

import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

/** Users as the read side knows them. */
public interface UserViewRepository extends JpaRepository<UserView, UUID> {

    Optional<UserView> findByUsernameKey(String usernameKey);
}
