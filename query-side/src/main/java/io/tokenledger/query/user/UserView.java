package io.tokenledger.query.user;

import io.tokenledger.api.user.Role;
import io.tokenledger.api.user.UserKind;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.Immutable;

/** Read model of a user, for lists, the profile and the password check at login; written by {@link UserProjection}. */
@Entity
@Table(name = "user_view")
@Immutable
public class UserView {
    @Id
    private UUID id;
    @Column(nullable = false)
    private String username;
    /** The username's canonical form ({@link io.tokenledger.api.user.Usernames}), by which a login finds it. */
    @Column(name = "username_key", nullable = false)
    private String usernameKey;
    @Column(nullable = false)
    private String email;
    @Column(name = "display_name", nullable = false)
    private String displayName;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private Role role;
    @Column(nullable = false)
    private boolean enabled;
    /** Null for a service account, which has no password. */
    @Column(name = "password_hash")
    private String passwordHash;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private UserKind kind;
    /** The sequence number of the event that set the password; a login's session names the one it checked. */
    @Column(name = "password_version", nullable = false)
    private long passwordVersion;
    @Column(name = "password_change_required", nullable = false)
    private boolean passwordChangeRequired;
    @Column(name = "created_at", nullable = false)
    private Instant createdAt;
    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected UserView() {
    }

    public UUID getId() {
        return id;
    }

    public UserKind getKind() {
        return kind;
    }

    public String getUsername() {
        return username;
    }

    public String getEmail() {
        return email;
    }

    public String getDisplayName() {
        return displayName;
    }

    public Role getRole() {
        return role;
    }

    public boolean isEnabled() {
        return enabled;
    }

    public String getPasswordHash() {
        return passwordHash;
    }

    public long getPasswordVersion() {
        return passwordVersion;
    }

    public boolean isPasswordChangeRequired() {
        return passwordChangeRequired;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }
}
