using Marten.Patching;
using Portal.BuildingBlocks.Concurrency;
using Portal.Invitations.Accounts;
using Portal.Invitations.Invites;
using Portal.Invitations.Roster;
using Portal.Invitations.Sessions;

namespace Portal.Invitations.EmailCorrections;

/// <summary>Support applies a waiting correction, with an optional note.</summary>
public sealed record ApplyEmailCorrectionRequest(string? Note);

/// <summary>Support declines a waiting correction; the note saying why is required.</summary>
public sealed record DeclineEmailCorrectionRequest(string? Note);

internal sealed class ApplyEmailCorrectionValidator : AbstractValidator<ApplyEmailCorrectionRequest>
{
    public const int MaxNote = 500;
    public const string TooLong = "The note must be at most 500 characters.";

    public ApplyEmailCorrectionValidator() => RuleFor(r => r.Note).MaximumLength(MaxNote).WithMessage(TooLong);
}

internal sealed class DeclineEmailCorrectionValidator : AbstractValidator<DeclineEmailCorrectionRequest>
{
    public DeclineEmailCorrectionValidator() =>
        RuleFor(r => r.Note).NotEmpty().WithMessage("Tell the practice why the correction is declined.")
            .MaximumLength(ApplyEmailCorrectionValidator.MaxNote).WithMessage(ApplyEmailCorrectionValidator.TooLong);
}

/// <summary>
/// Support applies or declines a correction the clinician asked for. Applying moves the login to the new address:
/// the account's email (when the client has one; their open sessions end), this module's roster copy, and any open
/// invitation (a fresh link to the new address; the old link stops working). <see cref="EmailAddressChanged"/> tells
/// the roster, the caseload and Notifications, which writes to both addresses.
/// </summary>
public static class DecideEmailCorrectionEndpoint
{
    [WolverinePost("/api/support/email-corrections/{correctionId}/apply")]
    [Authorize(Policy = PortalPolicies.Support)]
    public static async Task<(IResult, OutgoingMessages)> Apply(Guid correctionId, ApplyEmailCorrectionRequest request,
        HttpContext http, IDocumentSession session, TimeProvider clock, IDataProtectionProvider protection, IConfiguration configuration)
    {
        var (outcome, messages) = await ApplyAsync(correctionId, request, http, session, clock, protection, configuration);
        return (outcome.ToResult(http), messages);
    }

    [WolverinePost("/api/support/email-corrections/{correctionId}/decline")]
    [Authorize(Policy = PortalPolicies.Support)]
    public static async Task<IResult> Decline(Guid correctionId, DeclineEmailCorrectionRequest request, HttpContext http,
        IDocumentSession session, TimeProvider clock) =>
        (await DeclineAsync(correctionId, request, http, session, clock)).ToResult(http);

    /// <summary>The corrections waiting for support, oldest first (at most 200), with the clients' names.</summary>
    [WolverineGet("/api/support/email-corrections")]
    [Authorize(Policy = PortalPolicies.Support)]
    public static Task<IReadOnlyList<EmailCorrectionView>> Get(IQuerySession session, CancellationToken cancellation) =>
        WaitingAsync(session, cancellation);

    internal static async Task<(Outcome<EmailCorrectionView>, OutgoingMessages)> ApplyAsync(Guid correctionId,
        ApplyEmailCorrectionRequest request, HttpContext http, IDocumentSession session, TimeProvider clock,
        IDataProtectionProvider protection, IConfiguration configuration)
    {
        if (new ApplyEmailCorrectionValidator().Validate(request).AsRefusal() is { } invalid) return (invalid, []);
        var found = await WaitingForDecisionAsync(correctionId, http, session);
        if (!found.Succeeded) return (found.Refusal, []);
        if (SecondFactor.StepUp(CurrentUser.From(http.User)!, clock.GetUtcNow()) is { } stepUp) return (stepUp, []);
        var (correction, card) = found.Value;

        var email = correction.NewEmail;
        if (await EmailCorrectionRules.TakenAsync(session, email, card.Id, http.RequestAborted))
            return (Refusal.Conflict(EmailCorrectionRules.TakenMessage).With("field", "newEmail"), []);

        var now = clock.GetUtcNow();
        var account = await session.Query<Account>().FirstOrDefaultAsync(a => a.ClientId == card.Id, http.RequestAborted);
        var oldEmail = account?.Email ?? card.Email;
        if (account is not null)
        {
            account.Email = email;
            session.Store(account);
            // Whoever is signed in with the old address is signed out: the login is someone else's address now.
            session.Patch<SignInSession>(s => s.UserId == account.Id && s.EndedAt == null)
                .Set(s => s.EndedAt, now)
                .Set(s => s.EndReason, "email-corrected");
        }

        // This copy follows at once (the roster confirms it through EmailAddressChanged): an activation or a fresh
        // invitation in the meantime must already use the new address.
        card.Email = email;
        session.Store(card);
        var issued = new IssuedInvitations();
        var resent = await MoveOpenInvitationAsync(session, card, account, now, protection, configuration, issued, http.RequestAborted);

        correction.Status = EmailCorrectionStatus.Applied;
        correction.OldEmail = oldEmail;
        correction.AccountId = account?.Id;
        correction.DecidedBy = CurrentUser.From(http.User)!.UserId;
        correction.DecidedAt = now;
        correction.Note = NoteOf(request.Note);
        session.Store(correction);
        Audit.Record(session, http, clock, "email.correction-applied", nameof(EmailCorrection), correction.Id.ToString(), card.Id,
            EmailCorrectionRules.AuditLine(oldEmail, email) + (resent ? "; invitation re-sent" : string.Empty));

        var messages = issued.ToMessages();
        messages.Add(new EmailAddressChanged(Guid.CreateVersion7(), card.Id, account?.FirstName ?? card.FirstName, oldEmail, email, now)
        {
            CorrectedByPractice = true,
            HasAccount = account is not null,
        });
        if (account is not null) messages.AddRange(Contacts.ContactLogins.EmailChanged(account, now));
        return (EmailCorrectionView.From(correction, card.DisplayName), messages);
    }

    internal static async Task<Outcome<EmailCorrectionView>> DeclineAsync(Guid correctionId, DeclineEmailCorrectionRequest request,
        HttpContext http, IDocumentSession session, TimeProvider clock)
    {
        if (new DeclineEmailCorrectionValidator().Validate(request).AsRefusal() is { } invalid) return invalid;
        var found = await WaitingForDecisionAsync(correctionId, http, session);
        if (!found.Succeeded) return found.Refusal;
        var (correction, card) = found.Value;
        correction.Status = EmailCorrectionStatus.Declined;
        correction.DecidedBy = CurrentUser.From(http.User)!.UserId;
        correction.DecidedAt = clock.GetUtcNow();
        correction.Note = NoteOf(request.Note);
        session.Store(correction);
        Audit.Record(session, http, clock, "email.correction-declined", nameof(EmailCorrection), correction.Id.ToString(), card.Id,
            EmailCorrectionRules.AuditLine(correction.OldEmail, correction.NewEmail));
        return EmailCorrectionView.From(correction, card.DisplayName);
    }

    internal static async Task<IReadOnlyList<EmailCorrectionView>> WaitingAsync(IQuerySession session, CancellationToken cancellation)
    {
        var waiting = await session.Query<EmailCorrection>().Where(c => c.Status == EmailCorrectionStatus.Waiting)
            .OrderBy(c => c.RequestedAt).Take(200).ToListAsync(cancellation);
        var ids = waiting.Select(c => c.ClientId).Distinct().ToArray();
        var names = (await session.Query<InvitationsClient>().Where(c => ids.Contains(c.Id)).ToListAsync(cancellation))
            .ToDictionary(c => c.Id, c => c.DisplayName);
        return waiting.Select(c => EmailCorrectionView.From(c, names.GetValueOrDefault(c.ClientId, "Client"))).ToList();
    }

    /// <summary>
    /// The correction and its client, both under their edit locks (two support users deciding at once, and the roster
    /// handler writing the client's copy, wait for each other); 404 when there is no such correction, 409 once decided.
    /// </summary>
    private static async Task<Outcome<(EmailCorrection, InvitationsClient)>> WaitingForDecisionAsync(Guid correctionId,
        HttpContext http, IDocumentSession session)
    {
        var correction = await EditLock.LoadLockedAsync<EmailCorrection>(session, correctionId, http.RequestAborted);
        if (correction is null) return Refusal.NotFound("correction");
        if (correction.Status != EmailCorrectionStatus.Waiting)
            return Refusal.Conflict($"This correction was already {correction.Status.ToString().ToLowerInvariant()}.");
        var card = await EditLock.LoadLockedAsync<InvitationsClient>(session, correction.ClientId, http.RequestAborted);
        if (card is null) return Refusal.NotFound("client");
        return (correction, card);
    }

    /// <summary>
    /// A client without an active account may hold an open invitation to the old address: it is replaced (the old link
    /// stops working) and, while the client is eligible, a fresh link goes to the new address. True when one was sent.
    /// </summary>
    private static async Task<bool> MoveOpenInvitationAsync(IDocumentSession session, InvitationsClient card, Account? account,
        DateTimeOffset now, IDataProtectionProvider protection, IConfiguration configuration, IssuedInvitations issued,
        CancellationToken cancellation)
    {
        if (account is { Active: true }) return false;
        var open = await session.Query<Invitation>()
            .Where(i => i.ClientId == card.Id && i.UsedAt == null && i.ReplacedAt == null)
            .ToListAsync(cancellation);
        if (!open.Any(i => i.IsPending(now))) return false;
        if (card.Eligible && !card.Discharged)
        {
            InvitationSender.Issue(session, card, open, now, protection, configuration, issued);
            return true;
        }
        foreach (var old in open.Where(i => i.IsPending(now)))
        {
            old.ReplacedAt = now;
            session.Store(old);
        }
        return false;
    }

    private static string? NoteOf(string? note) => string.IsNullOrWhiteSpace(note) ? null : note.Trim();
}
