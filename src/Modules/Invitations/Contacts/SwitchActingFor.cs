using Microsoft.AspNetCore.Mvc;
using Portal.Invitations.Accounts;
using Portal.Invitations.SignIn;

namespace Portal.Invitations.Contacts;

/// <summary>One record a login acts for, as the switcher and the API list them.</summary>
internal sealed record ActingForItem(Guid ClientId, string ClientName, string ActingAs, string? Relationship, bool CompletesTasks,
    bool SeesResults, bool ReceivesEmails, bool Current);

internal sealed record ActingForList(IReadOnlyList<ActingForItem> Records);

public sealed record SwitchActingForRequest(Guid ClientId);

internal sealed class SwitchActingForValidator : AbstractValidator<SwitchActingForRequest>
{
    public SwitchActingForValidator() => RuleFor(r => r.ClientId).NotEmpty();
}

/// <summary>
/// The records a login acts for (its own, and each it is a contact of), and the switch between them: the cookie is
/// issued again for the chosen record, with the same session (its id and start stay, so its limits and its place in
/// the sessions list do too). A record not in the list answers 404, so ids cannot be probed.
/// </summary>
public static class ActingForEndpoints
{
    [WolverineGet("/api/account/acting-for")]
    [Authorize(Policy = PortalPolicies.Client)]
    public static async Task<IResult> Get(HttpContext http, IQuerySession session)
    {
        var outcome = await ActingForFlow.ListAsync(http, session);
        return outcome.ToResult(http);
    }

    [WolverinePost("/api/account/acting-for")]
    [Authorize(Policy = PortalPolicies.Client)]
    public static async Task<IResult> Post(SwitchActingForRequest request, HttpContext http, IDocumentSession session, TimeProvider clock)
    {
        var outcome = await ActingForFlow.SwitchAsync(request.ClientId, http, session, clock);
        await session.SaveChangesAsync(http.RequestAborted);
        return outcome.ToResult(http);
    }
}

internal static class ActingForFlow
{
    public static async Task<Outcome<ActingForList>> ListAsync(HttpContext http, IQuerySession session)
    {
        var user = CurrentUser.From(http.User)!;
        var account = await session.LoadAsync<Account>(user.UserId, http.RequestAborted);
        if (account is null) return Refusal.NotFound("account");
        var records = await ActingRecords.OfAsync(session, account, http.RequestAborted);
        return new ActingForList([.. records.Select(r => Item(r, r.ClientId == user.ClientId))]);
    }

    private static ActingForItem Item(ActingRecord record, bool current) => record.Contact is { } contact
        ? new(record.ClientId, record.ClientName, record.ActingAs, ContactRelationships.Describe(contact.Relationship), contact.CompletesTasks,
            contact.SeesResults, contact.ReceivesEmails, current)
        : new(record.ClientId, record.ClientName, record.ActingAs, null, true, true, true, current);

    /// <summary>Switches the cookie to <paramref name="clientId"/>; audited (the caller commits the session).</summary>
    public static async Task<Outcome<ActingForList>> SwitchAsync(Guid clientId, HttpContext http, IDocumentSession session, TimeProvider clock)
    {
        var user = CurrentUser.From(http.User)!;
        var account = await session.LoadAsync<Account>(user.UserId, http.RequestAborted);
        var sessionId = http.User.FindFirst(PortalClaims.SessionId)?.Value;
        var startedClaim = http.User.FindFirst(PortalClaims.SessionStarted)?.Value;
        if (account is null || sessionId is null || !long.TryParse(startedClaim, out var startedSeconds)) return Refusal.NotFound("account");
        var records = await ActingRecords.OfAsync(session, account, http.RequestAborted);
        var chosen = records.SingleOrDefault(r => r.ClientId == clientId);
        if (chosen is null)
        {
            Audit.Record(session, http, clock, "account.acting-for", "Account", account.Id.ToString(), clientId, "refused-not-listed");
            return Refusal.NotFound("record you act for");
        }

        await SignInFlow.IssueCookieAsync(http, account, sessionId, DateTimeOffset.FromUnixTimeSeconds(startedSeconds), chosen,
            user.SecondFactorAt, user.SecondFactorRequired);
        Audit.Record(session, http, clock, "account.acting-for", "Account", account.Id.ToString(), clientId,
            $"switched:{chosen.ActingAs}");
        return new ActingForList([.. records.Select(r => Item(r, r.ClientId == clientId))]);
    }
}

/// <summary>
/// "You are acting for: Sam Doe" in the portal's header whenever the record is someone else's (a contact's login), with a
/// switcher when the login has more than one record; a client alone on their own record is not told.
/// </summary>
[ViewComponent(Name = "ActingFor")]
public sealed class ActingForSwitcher(IQuerySession session) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync()
    {
        var user = CurrentUser.From(UserClaimsPrincipal);
        if (user is not { IsClient: true }) return Content(string.Empty);
        var outcome = await ActingForFlow.ListAsync(HttpContext, session);
        if (!outcome.Succeeded) return Content(string.Empty);
        var records = outcome.Value.Records;
        if (records.Count < 2 && !records.Any(r => r.Current && r.Relationship is not null)) return Content(string.Empty);
        return View(outcome.Value);
    }
}
