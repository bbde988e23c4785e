package io.tokenledger.query.user;

import java.util.Optional;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

/** Users as the read side knows them. */
public interface UserViewRepository extends JpaRepository<UserView, UUID> {

    Optional<UserView> findByUsernameKey(String usernameKey);

    Page<UserView> findByUsernameKeyContaining(String fragment, Pageable pageable);
}
