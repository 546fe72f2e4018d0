using System.Security.Claims;
using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Portal.BuildingBlocks.Auditing;
using Portal.BuildingBlocks.Security;
using Portal.Contracts;
using Portal.Invitations.Accounts;
using Portal.Invitations.Roster;
using Wolverine;
using Wolverine.Http;

namespace Portal.Invitations.EmailChanges;

/// <summary>A signed-in client asks to change their login email; their provider is asked to approve.</summary>
public sealed record RequestEmailChangeRequest(string NewEmail);

internal sealed class RequestEmailChangeValidator : AbstractValidator<RequestEmailChangeRequest>
{
    public RequestEmailChangeValidator() => RuleFor(r => r.NewEmail).NotEmpty().EmailAddress().MaximumLength(254);
}

public static class RequestEmailChangeEndpoint
{
    [WolverinePost("/api/portal/email-change")]
    [Authorize(Policy = PortalPolicies.Client)]
    public static async Task<(IResult, OutgoingMessages)> Post(RequestEmailChangeRequest request, ClaimsPrincipal principal, HttpContext http,
        IDocumentSession session, TimeProvider clock)
    {
        var (result, request2) = await EmailChangeFlow.RequestAsync(request.NewEmail, CurrentUser.From(principal)!, http, session, clock);
        return request2 is null
            ? (result, [])
            : (result, [new EmailChangeRequested(request2.Id, request2.ClientId, request2.ProviderId, request2.RequestedAt)]);
    }
}

internal static class EmailChangeFlow
{
    public static readonly TimeSpan ConfirmFor = TimeSpan.FromHours(24);

    public static async Task<(IResult, EmailChangeRequest?)> RequestAsync(string newEmail, CurrentUser user, HttpContext http, IDocumentSession session, TimeProvider clock)
    {
        var account = await session.LoadAsync<Account>(user.UserId);
        var card = user.ClientId is { } clientId ? await session.LoadAsync<InvitationsClient>(clientId) : null;
        if (account is null || card is null) return (Results.Problem(statusCode: 404, title: "No such account."), null);
        var email = newEmail.Trim().ToLowerInvariant();
        if (email == account.Email) return (Results.Problem(statusCode: 400, title: "That is already your email address."), null);
        if (await session.Query<EmailChangeRequest>().AnyAsync(r => r.ClientId == card.Id &&
                (r.Status == EmailChangeStatus.AwaitingProvider || r.Status == EmailChangeStatus.AwaitingConfirmation)))
            return (Results.Problem(statusCode: 409, title: "You already have an email change waiting. Your provider will look at it."), null);

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
        return (Results.Accepted(value: new { requestId = change.Id, status = change.Status.ToString() }), change);
    }

    /// <summary>Applies an approved change: the account's login email changes; both addresses are told.</summary>
    public static async Task<(IResult, EmailAddressChanged?)> ApplyAsync(EmailChangeRequest change, HttpContext http, IDocumentSession session, TimeProvider clock, string how)
    {
        var account = await session.LoadAsync<Account>(change.AccountId);
        if (account is null) return (Results.Problem(statusCode: 404, title: "No such account."), null);
        if (await session.Query<Account>().AnyAsync(a => a.Email == change.NewEmail && a.Id != account.Id))
            return (Results.Problem(statusCode: 409, title: "Another account already uses that email address."), null);

        var now = clock.GetUtcNow();
        account.Email = change.NewEmail;
        change.Status = EmailChangeStatus.Applied;
        change.AppliedAt = now;
        change.ConfirmationTokenHash = null;
        session.Store(account);
        session.Store(change);
        Audit.Record(session, http, clock, "email-change.applied", "EmailChangeRequest", change.Id.ToString(), change.ClientId, how);
        return (Results.NoContent(), new EmailAddressChanged(Guid.CreateVersion7(), change.ClientId, account.FirstName, change.OldEmail, change.NewEmail, now));
    }
}
