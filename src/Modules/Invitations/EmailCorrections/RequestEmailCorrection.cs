using Portal.BuildingBlocks.Concurrency;
using Portal.Invitations.Accounts;
using Portal.Invitations.Roster;

namespace Portal.Invitations.EmailCorrections;

/// <summary>
/// The client's clinician (or the practice's owner) asks support to correct the client's login email: the new address
/// they approved and why. Providers cannot edit a login email themselves (the email lock); support applies it.
/// </summary>
public sealed record RequestEmailCorrectionRequest(string? NewEmail, string? Reason);

internal sealed class RequestEmailCorrectionValidator : AbstractValidator<RequestEmailCorrectionRequest>
{
    public const int MaxReason = 500;

    public RequestEmailCorrectionValidator()
    {
        RuleFor(r => r.NewEmail).NotEmpty().WithMessage("Enter the new email address.")
            .MaximumLength(254).WithMessage("The email address must be at most 254 characters.")
            .EmailAddress().WithMessage("Enter a valid email address.");
        RuleFor(r => r.Reason).NotEmpty().WithMessage("Tell support why the address needs correcting.")
            .MaximumLength(MaxReason).WithMessage($"The reason must be at most {MaxReason} characters.");
    }
}

public static class RequestEmailCorrectionEndpoint
{
    [WolverinePost("/api/console/clients/{clientId}/email-corrections")]
    [Authorize(Policy = PortalPolicies.Provider)]
    public static async Task<IResult> Post(Guid clientId, RequestEmailCorrectionRequest request, HttpContext http,
        IDocumentSession session, TimeProvider clock) =>
        (await RequestAsync(clientId, request, http, session, clock)).ToResult(http);

    /// <summary>This client's corrections, newest first, for the clinician who may see the client.</summary>
    [WolverineGet("/api/console/clients/{clientId}/email-corrections")]
    [Authorize(Policy = PortalPolicies.Provider)]
    public static async Task<IResult> Get(Guid clientId, HttpContext http, IQuerySession session) =>
        (await ForClientAsync(clientId, http, session)).ToResult(http);

    internal static async Task<Outcome<EmailCorrectionView>> RequestAsync(Guid clientId, RequestEmailCorrectionRequest request,
        HttpContext http, IDocumentSession session, TimeProvider clock)
    {
        // The page calls this outside Wolverine's validation policy: validate here too, for both.
        if (new RequestEmailCorrectionValidator().Validate(request).AsRefusal() is { } invalid) return invalid;
        var user = CurrentUser.From(http.User);
        if (user is not { IsClinical: true }) return Refusal.Forbidden("Only the client's clinician or the practice's owner can ask for this.");
        // Under the client's lock, so two requests at once cannot both find nothing waiting.
        var card = await EditLock.LoadLockedAsync<InvitationsClient>(session, clientId, http.RequestAborted);
        if (card is null || !card.IsVisibleTo(user)) return Refusal.NotFound("client");

        var email = request.NewEmail!.Trim().ToLowerInvariant();
        var account = await session.Query<Account>().FirstOrDefaultAsync(a => a.ClientId == clientId, http.RequestAborted);
        var current = account?.Email ?? card.Email;
        if (email == current) return Refusal.Invalid("newEmail", "That is already the client's email address.");
        if (await EmailCorrectionRules.TakenAsync(session, email, clientId, http.RequestAborted))
            return Refusal.Conflict(EmailCorrectionRules.TakenMessage).With("field", "newEmail");
        if (await session.Query<EmailCorrection>()
                .AnyAsync(c => c.ClientId == clientId && c.Status == EmailCorrectionStatus.Waiting, http.RequestAborted))
            return Refusal.Conflict("A correction of this client's email already waits for support.");

        var correction = new EmailCorrection
        {
            Id = Guid.CreateVersion7(),
            ClientId = clientId,
            PracticeId = card.PracticeId,
            ProviderId = card.ProviderId,
            AccountId = account?.Id,
            OldEmail = current,
            NewEmail = email,
            Reason = request.Reason!.Trim(),
            Status = EmailCorrectionStatus.Waiting,
            RequestedBy = user.UserId,
            RequestedByName = user.DisplayName,
            RequestedAt = clock.GetUtcNow(),
        };
        session.Store(correction);
        Audit.Record(session, http, clock, "email.correction-requested", nameof(EmailCorrection), correction.Id.ToString(), clientId,
            EmailCorrectionRules.AuditLine(correction.OldEmail, correction.NewEmail));
        return Outcome<EmailCorrectionView>.Ok(EmailCorrectionView.From(correction, card.DisplayName), StatusCodes.Status201Created);
    }

    internal static async Task<Outcome<IReadOnlyList<EmailCorrectionView>>> ForClientAsync(Guid clientId, HttpContext http,
        IQuerySession session)
    {
        var user = CurrentUser.From(http.User);
        var card = await session.LoadAsync<InvitationsClient>(clientId, http.RequestAborted);
        if (user is null || card is null || !card.IsVisibleTo(user)) return Refusal.NotFound("client");
        var list = await session.Query<EmailCorrection>().Where(c => c.ClientId == clientId)
            .OrderByDescending(c => c.RequestedAt).Take(50).ToListAsync(http.RequestAborted);
        return list.Select(c => EmailCorrectionView.From(c, card.DisplayName)).ToList();
    }
}

internal static class EmailCorrectionRules
{
    public const string TakenMessage = "Another login already uses that email address.";

    /// <summary>Whether a login other than this client's own already signs in with the address (the accounts' unique email).</summary>
    public static Task<bool> TakenAsync(IQuerySession session, string email, Guid clientId, CancellationToken cancellation) =>
        // A provider's or support's account has no client id: compared explicitly, as SQL's null would not be "not equal".
        session.Query<Account>().AnyAsync(a => a.Email == email && (a.ClientId == null || a.ClientId != clientId), cancellation);

    /// <summary>The audit line: both addresses masked, as the emails mask them.</summary>
    public static string AuditLine(string oldEmail, string newEmail) => $"{EmailMask.Of(oldEmail)} -> {EmailMask.Of(newEmail)}";
}
