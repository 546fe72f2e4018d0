using Portal.Invitations.Accounts;
using Portal.Invitations.Activation;
using Portal.Invitations.Roster;

namespace Portal.Invitations.Contacts;

/// <summary>
/// A contact opens their invitation link: the same page and endpoint as a client's (<see cref="ActivationFlow"/>). They
/// confirm the date of birth of the client they act for and choose a password; when their email already has a login
/// (their own record, or another child's), they give that login's password instead and the record is added to it.
/// </summary>
internal static class ActivateAsContact
{
    public const string ExistingLoginMessage =
        "This email already has a portal login. Enter its password to add this record to it.";

    public static async Task<ContactInvitation?> FindAsync(IQuerySession session, string token)
    {
        var hash = SecretTokens.Hash(token);
        return await session.Query<ContactInvitation>().FirstOrDefaultAsync(i => i.TokenHash == hash);
    }

    /// <summary>What the activation page shows for a contact's link.</summary>
    public static async Task<ActivationLinkStatus> CheckAsync(IQuerySession session, ContactInvitation invitation, DateTimeOffset now)
    {
        var (client, contact) = await UsableAsync(session, invitation, now);
        if (client is null || contact is null) return new ActivationLinkStatus(false, null, null, null);
        var firstName = contact.Name.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? contact.Name;
        return new ActivationLinkStatus(true, firstName, client.PracticeName, invitation.ExpiresAt)
        {
            ActingFor = client.FirstName,
            HasLogin = await session.Query<Account>().AnyAsync(a => a.Email == invitation.Email && a.Active),
        };
    }

    private static async Task<(InvitationsClient? Client, ClientContactFacts? Contact)> UsableAsync(IQuerySession session,
        ContactInvitation invitation, DateTimeOffset now)
    {
        if (!invitation.IsPending(now) || invitation.FailedChecks >= ActivateAccountEndpoint.MaximumFailedChecks) return (null, null);
        var client = await session.LoadAsync<InvitationsClient>(invitation.ClientId);
        var contact = (await session.LoadAsync<InvitationsContacts>(invitation.ClientId))?.Contacts
            .SingleOrDefault(c => c.ContactId == invitation.ContactId && c.Email == invitation.Email);
        return client is { Eligible: true } && contact is not null ? (client, contact) : (null, null);
    }

    public static async Task<(Outcome<AccountActivated>, OutgoingMessages)> ActivateAsync(ContactInvitation invitation,
        ActivateAccountRequest request, HttpContext http, IDocumentSession session, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        var (client, contact) = await UsableAsync(session, invitation, now);
        if (client is null || contact is null)
        {
            Audit.Record(session, http, clock, "account.activation", "ContactInvitation", invitation.Id.ToString(), invitation.ClientId,
                "link-not-usable");
            return (new Refusal(StatusCodes.Status410Gone, ActivationFlow.LinkNotUsableMessage), []);
        }

        if (client.DateOfBirth != request.DateOfBirth)
        {
            invitation.FailedChecks++;
            session.Store(invitation);
            if (invitation.FailedChecks < ActivateAccountEndpoint.MaximumFailedChecks)
            {
                Audit.Record(session, http, clock, "account.activation", "ContactInvitation", invitation.Id.ToString(), client.Id,
                    "details-mismatch");
                return (new Refusal(StatusCodes.Status400BadRequest, ActivationFlow.DetailsMessage), []);
            }
            invitation.BlockedAt = now;
            Audit.Record(session, http, clock, "account.activation", "ContactInvitation", invitation.Id.ToString(), client.Id, "blocked");
            return (new Refusal(StatusCodes.Status410Gone, ActivationFlow.BlockedMessage(client.PracticeName)).With("code", "activation-blocked"),
                [new ActivationBlocked(Guid.CreateVersion7(), client.Id, client.ProviderId, invitation.FailedChecks, now)]);
        }

        var account = await session.Query<Account>().FirstOrDefaultAsync(a => a.Email == invitation.Email);
        if (account is not null)
        {
            // One email is one person: the record joins the login they have, once they prove it is theirs.
            if (account.Role != PortalRoles.Client || !account.Active)
                return (Refusal.Conflict("Another account already uses this email address. Contact your provider."), []);
            if (!Passwords.Verify(account, request.Password))
            {
                Audit.Record(session, http, clock, "account.activation", "ContactInvitation", invitation.Id.ToString(), client.Id,
                    "existing-login-password-mismatch");
                return (Refusal.Invalid("password", ExistingLoginMessage), []);
            }
        }
        else
        {
            if (Passwords.Problem(request.Password, invitation.Email) is { } problem) return (Passwords.Refused(problem), []);
            account = new Account
            {
                Id = Guid.CreateVersion7(),
                Role = PortalRoles.Client,
                Email = invitation.Email,
                PracticeId = client.PracticeId,
                DisplayName = contact.Name,
                FirstName = contact.Name.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? contact.Name,
                Active = true,
                CreatedAt = now,
                ActivatedAt = now,
            };
            account.PasswordHash = Passwords.Hash(account, request.Password);
        }

        account.ActsFor.RemoveAll(f => f.ClientId == client.Id);
        account.ActsFor.Add(new ActingFor(client.Id, contact.ContactId));
        session.Store(account);
        invitation.UsedAt = now;
        session.Store(invitation);
        Audit.Record(session, http, clock, "account.activation", "Account", account.Id.ToString(), client.Id, $"contact-activated:{contact.Relationship}");
        return (new AccountActivated(account.Id, account.Email, "/signin"),
            [new ContactLoginChanged(client.Id, contact.ContactId, account.Id, account.Email, true, now)]);
    }
}
