using System.Security.Claims;
using Portal.Invitations.Accounts;
using Portal.Invitations.Roster;

namespace Portal.Invitations.EmailChanges;

/// <summary>A signed-in client asks to change their login email; their provider is asked to approve.</summary>
public sealed record RequestEmailChangeRequest(string NewEmail);

internal sealed class RequestEmailChangeValidator : AbstractValidator<RequestEmailChangeRequest>
{
    public RequestEmailChangeValidator() => RuleFor(r => r.NewEmail).NotEmpty().MaximumLength(254).EmailAddress();
}

public static class RequestEmailChangeEndpoint
{
    [WolverinePost("/api/portal/email-change")]
    [Authorize(Policy = PortalPolicies.Client)]
    public static async Task<(IResult, OutgoingMessages)> Post(RequestEmailChangeRequest request, ClaimsPrincipal principal, HttpContext http,
        IDocumentSession session, TimeProvider clock)
    {
        var (outcome, messages) = await EmailChangeFlow.RequestAsync(request.NewEmail, CurrentUser.From(principal)!, http, session, clock);
        return (outcome.ToResult(http, change => Results.Accepted(value: new { requestId = change.Id, status = change.Status.ToString() })),
            messages);
    }
}

internal static class EmailChangeFlow
{
    public static readonly TimeSpan ConfirmFor = TimeSpan.FromHours(24);

    private static readonly Refusal NoSuchAccount = new(StatusCodes.Status404NotFound, "No such account.");

    /// <summary>The request waiting for the provider, and the message that asks them.</summary>
    public static async Task<(Outcome<EmailChangeRequest>, OutgoingMessages)> RequestAsync(string newEmail, CurrentUser user, HttpContext http,
        IDocumentSession session, TimeProvider clock)
    {
        // The record's login email is the client's own: a contact acting for it (a parent) never changes it. The
        // contact's own login email follows the client's flow when they act for their own record.
        if (user.IsContact)
            return (Refusal.Forbidden("Only the client changes the login email of their record.",
                "Switch to your own record to change your email, or ask the practice."), []);
        var account = await session.LoadAsync<Account>(user.UserId);
        var card = user.ClientId is { } clientId ? await session.LoadAsync<InvitationsClient>(clientId) : null;
        if (account is null || card is null) return (NoSuchAccount, []);
        // Changing the login email hands the account to whoever reads the new address: a client with a second factor
        // proves it again (a client without one has nothing to prove).
        if (SecondFactor.StepUp(user, clock.GetUtcNow(), account.HasSecondFactor) is { } stepUp) return (stepUp, []);
        var email = newEmail.Trim().ToLowerInvariant();
        if (email == account.Email) return (new Refusal(StatusCodes.Status400BadRequest, "That is already your email address."), []);
        if (await session.Query<EmailChangeRequest>().AnyAsync(r => r.ClientId == card.Id &&
                (r.Status == EmailChangeStatus.AwaitingProvider || r.Status == EmailChangeStatus.AwaitingConfirmation)))
            return (Refusal.Conflict("You already have an email change waiting. Your provider will look at it."), []);

        var now = clock.GetUtcNow();
        var change = new EmailChangeRequest
        {
            Id = Guid.CreateVersion7(),
            ClientId = card.Id,
            ProviderId = card.ProviderId,
            AccountId = account.Id,
            OldEmail = account.Email,
            NewEmail = email,
            Status = EmailChangeStatus.AwaitingProvider,
            RequestedAt = now,
        };
        session.Store(change);
        Audit.Record(session, http, clock, "email-change.requested", "EmailChangeRequest", change.Id.ToString(), card.Id);
        return (Outcome<EmailChangeRequest>.Ok(change, StatusCodes.Status202Accepted),
            [new EmailChangeRequested(change.Id, change.ClientId, change.ProviderId, change.RequestedAt)]);
    }

    /// <summary>Applies an approved change: the account's login email changes; both addresses are told.</summary>
    public static async Task<(Outcome<EmailChangeRequest>, OutgoingMessages)> ApplyAsync(EmailChangeRequest change, HttpContext http,
        IDocumentSession session, TimeProvider clock, string how)
    {
        var account = await session.LoadAsync<Account>(change.AccountId);
        if (account is null) return (NoSuchAccount, []);
        if (await session.Query<Account>().AnyAsync(a => a.Email == change.NewEmail && a.Id != account.Id))
            return (Refusal.Conflict("Another account already uses that email address."), []);

        var now = clock.GetUtcNow();
        account.Email = change.NewEmail;
        change.Status = EmailChangeStatus.Applied;
        change.AppliedAt = now;
        change.ConfirmationTokenHash = null;
        session.Store(account);
        session.Store(change);
        Audit.Record(session, http, clock, "email-change.applied", "EmailChangeRequest", change.Id.ToString(), change.ClientId, how);
        var messages = new OutgoingMessages
        {
            new EmailAddressChanged(Guid.CreateVersion7(), change.ClientId, account.FirstName, change.OldEmail, change.NewEmail, now),
        };
        // The records this login acts for as a contact are emailed at the new address too.
        messages.AddRange(Contacts.ContactLogins.EmailChanged(account, now));
        return (Outcome<EmailChangeRequest>.Ok(change, StatusCodes.Status204NoContent), messages);
    }
}
