package io.tokenledger.command.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import io.tokenledger.api.CommandRejected;
import io.tokenledger.api.token.TokenId;
import io.tokenledger.api.user.ChangePassword;
import io.tokenledger.api.user.ChangeUserRole;
import io.tokenledger.api.user.DisableUser;
import io.tokenledger.api.user.EnableUser;
import io.tokenledger.api.user.RegisterUser;
import io.tokenledger.api.user.Role;
import io.tokenledger.api.user.UserDisabled;
import io.tokenledger.api.user.UserEnabled;
import io.tokenledger.api.user.UserId;
import io.tokenledger.api.user.UserPasswordChanged;
import io.tokenledger.api.user.UserKind;
import io.tokenledger.api.user.UserRegistered;
import io.tokenledger.api.user.UserRoleChanged;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UserTest {
    private static final String HASH = "$2a$10$abcdefghijklmnopqrstuu";

    private final UserId id = UserId.random();
    private final UserId admin = UserId.random();
    private final Set<String> taken = new HashSet<>();
    /** The active administrators as the table would hold them; the rule's only collaborator. */
    private final Set<UserId> activeAdmins = new HashSet<>();
    private FixtureConfiguration<User> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(User.class);
        fixture.registerInjectableResource((UsernameClaims) (username, userId) ->
                taken.add(username.toLowerCase(Locale.ROOT)));
        fixture.registerInjectableResource(new ActiveAdmins() {
            @Override
            public void add(UserId userId) {
                activeAdmins.add(userId);
            }

            @Override
            public boolean removeUnlessLast(UserId userId) {
                if (activeAdmins.stream().allMatch(userId::equals)) {
                    return false;
                }
                activeAdmins.remove(userId);
                return true;
            }
        });
    }

    private UserRegistered registered(Role role) {
        return new UserRegistered(id, "alice", "alice@example.com", "Alice", role, HASH);
    }

    @Test
    void registeringAUserRegistersThemEnabled() {
        fixture.givenNoPriorActivity()
                .when(new RegisterUser(id, "alice", "alice@example.com", "Alice", Role.USER, HASH))
                .expectSuccessfulHandlerExecution()
                .expectEvents(registered(Role.USER));
    }

    @Test
    void aServiceAccountIsRegisteredWithoutAPassword() {
        fixture.givenNoPriorActivity()
                .when(new RegisterUser(id, "ci-bot", "team@example.com", "CI", Role.USER, null, false,
                        UserKind.SERVICE_ACCOUNT))
                .expectEvents(new UserRegistered(id, "ci-bot", "team@example.com", "CI", Role.USER, null, false,
                        UserKind.SERVICE_ACCOUNT));
    }

    @Test
    void aServiceAccountMustHaveNoPasswordAndAContactAddress() {
        fixture.givenNoPriorActivity()
                .when(new RegisterUser(id, "ci-bot", "team@example.com", "CI", Role.USER, HASH, false,
                        UserKind.SERVICE_ACCOUNT))
                .expectException(CommandRejected.class)
                .expectExceptionMessage(User.SERVICE_ACCOUNT_PASSWORD)
                .expectNoEvents();
        fixture.givenNoPriorActivity()
                .when(new RegisterUser(id, "ci-bot", "", "CI", Role.USER, null, false, UserKind.SERVICE_ACCOUNT))
                .expectException(CommandRejected.class)
                .expectNoEvents();
        fixture.givenNoPriorActivity()
                .when(new RegisterUser(id, "alice", "alice@example.com", "Alice", Role.USER, null, false,
                        UserKind.PERSON))
                .expectException(CommandRejected.class)
                .expectNoEvents();
    }

    @Test
    void aServiceAccountsPasswordCannotBeSet() {
        fixture.given(new UserRegistered(id, "ci-bot", "team@example.com", "CI", Role.USER, null, false,
                        UserKind.SERVICE_ACCOUNT))
                .when(new ChangePassword(id, HASH, null, UserId.random(), null))
                .expectException(CommandRejected.class)
                .expectNoEvents();
    }

    @Test
    void aUserStoredBeforeKindsExistedIsAPerson() {
        assertThat(registered(Role.USER).kind()).isEqualTo(UserKind.PERSON);
    }

    @Test
    void aTakenUsernameIsAConflictWhateverItsCase() {
        taken.add("alice");
        fixture.givenNoPriorActivity()
                .when(new RegisterUser(id, "ALICE", "alice@example.com", "Alice", Role.USER, HASH))
                .expectException(CommandRejected.class)
                .expectExceptionMessage("username 'ALICE' is already taken")
                .expectNoEvents();
    }

    @Test
    void aMalformedUsernameIsInvalid() {
        for (String bad : new String[] {"ab", "-alice", "al ice", "a".repeat(65), "al\u0000ice"}) {
            fixture.givenNoPriorActivity()
                    .when(new RegisterUser(id, bad, "alice@example.com", "Alice", Role.USER, HASH))
                    .expectException(CommandRejected.class)
                    .expectNoEvents();
        }
    }

    @Test
    void aDisplayNameOfUnprintableCharactersIsInvalid() {
        for (String bad : new String[] {"Al\u0000ice", "Alice\uD800", "tab\there", "zero\u200bwidth"}) {
            fixture.givenNoPriorActivity()
                    .when(new RegisterUser(id, "alice", "alice@example.com", bad, Role.USER, HASH))
                    .expectException(CommandRejected.class)
                    .expectNoEvents();
        }
    }

    @Test
    void anEmailAddressOutsideTheRuleOfTheAppConfigAddressesIsInvalid() {
        for (String bad : new String[] {"\"john doe\"@example.com", "alice@[127.0.0.1]", "alice@exa_mple.com",
                "\u00e5lice@example.com", "alice@example..com", "alice", "a@b.c\r\nBcc: x@example.com"}) {
            fixture.givenNoPriorActivity()
                    .when(new RegisterUser(id, "alice", bad, "Alice", Role.USER, HASH))
                    .expectException(CommandRejected.class)
                    .expectExceptionMessage(containsString("e-mail address"))
                    .expectNoEvents();
        }
    }

    @Test
    void aRoleAndAPasswordAreRequired() {
        fixture.givenNoPriorActivity()
                .when(new RegisterUser(id, "alice", "alice@example.com", "Alice", null, HASH))
                .expectException(CommandRejected.class).expectNoEvents();
        fixture.givenNoPriorActivity()
                .when(new RegisterUser(id, "alice", "alice@example.com", "Alice", Role.USER, " "))
                .expectException(CommandRejected.class).expectNoEvents();
    }

    @Test
    void changingTheRoleRecordsFromAndTo() {
        fixture.given(registered(Role.USER))
                .when(new ChangeUserRole(id, Role.AUDITOR, admin))
                .expectEvents(new UserRoleChanged(id, Role.USER, Role.AUDITOR));
    }

    @Test
    void changingToTheSameRoleChangesNothing() {
        fixture.given(registered(Role.USER))
                .when(new ChangeUserRole(id, Role.USER, admin))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void anAdminCannotDemoteThemselves() {
        fixture.given(registered(Role.ADMIN))
                .when(new ChangeUserRole(id, Role.USER, id))
                .expectException(CommandRejected.class)
                .expectNoEvents();
    }

    @Test
    void disablingAUserDisablesThemOnce() {
        fixture.given(registered(Role.USER))
                .when(new DisableUser(id, admin))
                .expectEvents(new UserDisabled(id));
        fixture.given(registered(Role.USER), new UserDisabled(id))
                .when(new DisableUser(id, admin))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void usersCannotDisableThemselves() {
        fixture.given(registered(Role.ADMIN))
                .when(new DisableUser(id, id))
                .expectException(CommandRejected.class)
                .expectNoEvents();
    }

    @Test
    void enablingADisabledUserEnablesThemAndIsIdempotent() {
        fixture.given(registered(Role.USER), new UserDisabled(id))
                .when(new EnableUser(id))
                .expectEvents(new UserEnabled(id));
        fixture.given(registered(Role.USER))
                .when(new EnableUser(id))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void aUserChangingTheirPasswordWithTheCurrentOneReplacesItsHashAndKeepsTheirOwnSession() {
        TokenId session = TokenId.random();
        fixture.given(registered(Role.USER))
                .when(new ChangePassword(id, "{argon2}other", HASH, id, session))
                .expectEvents(new UserPasswordChanged(id, "{argon2}other", id, session));
        fixture.given(registered(Role.USER))
                .when(new ChangePassword(id, "", HASH, id, session))
                .expectException(CommandRejected.class)
                .expectNoEvents();
    }

    /** Two changes checked against the same old password (the owner's and a thief's): the later one is refused. */
    @Test
    void aChangeCheckedAgainstAPasswordThatWasChangedMeanwhileIsRefused() {
        fixture.given(registered(Role.USER), new UserPasswordChanged(id, "{argon2}owners-new", id, null))
                .when(new ChangePassword(id, "{argon2}thiefs-new", HASH, id, TokenId.random()))
                .expectException(CommandRejected.class)
                .expectExceptionMessage(User.CURRENT_PASSWORD_WRONG)
                .expectNoEvents();
    }

    @Test
    void anAdministratorResetsAnotherUsersPasswordWithoutTheCurrentOneAndKeepsNoSession() {
        fixture.given(registered(Role.USER))
                .when(new ChangePassword(id, "{argon2}reset", null, admin, null))
                .expectEvents(new UserPasswordChanged(id, "{argon2}reset", admin, null));
    }

    /** A stolen administrator session cannot take the account over by resetting its own password. */
    @Test
    void aStolenAdminSessionCannotSetItsOwnPasswordWithoutTheCurrentOne() {
        fixture.given(registered(Role.ADMIN))
                .when(new ChangePassword(id, "{argon2}thiefs", null, id, null))
                .expectException(CommandRejected.class)
                .expectExceptionMessage(containsString("is required to change your own password"))
                .expectNoEvents();
    }

    @Test
    void aGeneratedPasswordIsRegisteredAsOneToChange() {
        fixture.givenNoPriorActivity()
                .when(new RegisterUser(id, "admin", "admin@example.com", "Administrator", Role.ADMIN, HASH, true))
                .expectEvents(new UserRegistered(id, "admin", "admin@example.com", "Administrator", Role.ADMIN, HASH,
                        true));
    }

    @Test
    void demotingTheLastActiveAdminIsRefused() {
        activeAdmins.add(id);
        fixture.given(registered(Role.ADMIN))
                .when(new ChangeUserRole(id, Role.USER, admin))
                .expectException(CommandRejected.class)
                .expectExceptionMessage(containsString("last active administrator"))
                .expectNoEvents();
        assertThat(activeAdmins).containsExactly(id);
    }

    @Test
    void disablingTheLastActiveAdminIsRefused() {
        activeAdmins.add(id);
        fixture.given(registered(Role.ADMIN))
                .when(new DisableUser(id, admin))
                .expectException(CommandRejected.class)
                .expectExceptionMessage(containsString("last active administrator"))
                .expectNoEvents();
        assertThat(activeAdmins).containsExactly(id);
    }

    @Test
    void anAdminIsDemotedOrDisabledWhileAnotherActiveAdminRemains() {
        activeAdmins.addAll(Set.of(id, admin));
        fixture.given(registered(Role.ADMIN))
                .when(new ChangeUserRole(id, Role.AUDITOR, admin))
                .expectEvents(new UserRoleChanged(id, Role.ADMIN, Role.AUDITOR));
        assertThat(activeAdmins).containsExactly(admin);
        activeAdmins.add(id);
        fixture.given(registered(Role.ADMIN))
                .when(new DisableUser(id, admin))
                .expectEvents(new UserDisabled(id));
        assertThat(activeAdmins).containsExactly(admin);
    }

    @Test
    void registeringPromotingAndEnablingAnAdminMakeThemActive() {
        fixture.givenNoPriorActivity()
                .when(new RegisterUser(id, "alice", "alice@example.com", "Alice", Role.ADMIN, HASH))
                .expectEvents(registered(Role.ADMIN));
        assertThat(activeAdmins).containsExactly(id);
        activeAdmins.clear();
        fixture.given(registered(Role.USER))
                .when(new ChangeUserRole(id, Role.ADMIN, admin))
                .expectEvents(new UserRoleChanged(id, Role.USER, Role.ADMIN));
        assertThat(activeAdmins).containsExactly(id);
        activeAdmins.clear();
        fixture.given(registered(Role.ADMIN), new UserDisabled(id))
                .when(new EnableUser(id))
                .expectEvents(new UserEnabled(id));
        assertThat(activeAdmins).containsExactly(id);
    }

    @Test
    void aDisabledAdminLeavesNoActiveAdminBehindWhenDemoted() {
        // A disabled administrator is not an active one: demoting them takes nothing from the active ones.
        activeAdmins.add(admin);
        fixture.given(registered(Role.ADMIN), new UserDisabled(id))
                .when(new ChangeUserRole(id, Role.USER, admin))
                .expectEvents(new UserRoleChanged(id, Role.ADMIN, Role.USER));
        assertThat(activeAdmins).containsExactly(admin);
    }
}
