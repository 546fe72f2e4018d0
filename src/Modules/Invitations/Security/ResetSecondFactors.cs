using Portal.Invitations.Accounts;
using Portal.Invitations.Members;

namespace Portal.Invitations.Security;

/// <summary>
/// Support removes a login's second factors (authenticator, recovery codes, passkeys) for a person who lost them, only
/// after recording how they verified who asked: a method and what they checked (required). Every open session of the
/// login ends; the reset is audited with the method and notes; the person is emailed (nothing secret in it). A staff
/// login must enrol again at its next sign-in (the gate); a client signs in with their password as before, unless
/// their practice requires a second factor.
/// </summary>
public sealed record ResetSecondFactorsRequest(string? Email, IdentityCheck? Method, string? Verification);

/// <summary>How support verified the person asking: the ways support is allowed to use.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<IdentityCheck>))]
public enum IdentityCheck
{
    /// <summary>Support called back the number the practice has on file.</summary>
    CallbackToNumberOnFile,
    /// <summary>A video call comparing the person with a photo ID.</summary>
    VideoCallWithPhotoId,
    /// <summary>The practice's owner or the client's clinician confirmed the client's identity to support.</summary>
    ConfirmedByPractice,
    /// <summary>The person came in to the practice or office with photo ID.</summary>
    InPersonWithPhotoId,
}

internal sealed record SecondFactorsResetDone(Guid AccountId, string Email, DateTimeOffset ResetAt, int SessionsEnded, bool MustEnrolAgain);

internal sealed class ResetSecondFactorsValidator : AbstractValidator<ResetSecondFactorsRequest>
{
    public const int MaxVerification = 500;

    public ResetSecondFactorsValidator()
    {
        RuleFor(r => r.Email).NotEmpty().MaximumLength(254);
        RuleFor(r => r.Method).NotNull().WithMessage("Say how you verified the person's identity.")
            .IsInEnum().WithMessage("Choose one of the identity checks.");
        RuleFor(r => r.Verification).NotEmpty().WithMessage("Record what you checked and with whom.")
            .MinimumLength(10).WithMessage("Record what you checked and with whom (at least 10 characters).")
            .MaximumLength(MaxVerification).WithMessage($"Keep the record to at most {MaxVerification} characters.");
    }
}

public static class ResetSecondFactorsEndpoint
{
    [WolverinePost("/api/support/second-factor-resets")]
    [Authorize(Policy = PortalPolicies.Support)]
    public static async Task<(IResult, OutgoingMessages)> Post(ResetSecondFactorsRequest request, HttpContext http, IDocumentSession session,
        TimeProvider clock)
    {
        var (outcome, messages) = await SecondFactorReset.ResetAsync(request, http, session, clock);
        return (outcome.ToResult(http), messages);
    }
}

internal static class SecondFactorReset
{
    /// <summary>The caller commits the session and the messages together.</summary>
    public static async Task<(Outcome<SecondFactorsResetDone>, OutgoingMessages)> ResetAsync(ResetSecondFactorsRequest request,
        HttpContext http, IDocumentSession session, TimeProvider clock)
    {
        // The page calls this outside Wolverine's validation policy: validate here too, for both.
        if (new ResetSecondFactorsValidator().Validate(request).AsRefusal() is { } invalid) return (invalid, []);
        var user = CurrentUser.From(http.User)!;
        var now = clock.GetUtcNow();
        // Support's own session proves its factor again: a reset hands an account to whoever support believed.
        if (SecondFactor.StepUp(user, now) is { } stepUp) return (stepUp, []);
        var email = request.Email!.Trim().ToLowerInvariant();
        var account = await session.Query<Account>().FirstOrDefaultAsync(a => a.Email == email, http.RequestAborted);
        if (account is null) return (new Refusal(StatusCodes.Status404NotFound, "No account signs in with that email."), []);
        if (account.Id == user.UserId)
            return (Refusal.Forbidden("Support cannot reset its own second factors.", "Ask another support user."), []);

        var had = new List<string>();
        if (account.TotpEnabled) had.Add("authenticator");
        if (account.RecoveryCodeHashes.Count > 0) had.Add($"{account.RecoveryCodeHashes.Count} recovery codes");
        if (account.Passkeys.Count > 0) had.Add($"{account.Passkeys.Count} passkeys");
        account.ProtectedTotpSecret = null;
        account.ProtectedPendingTotpSecret = null;
        account.TotpEnabled = false;
        account.RecoveryCodeHashes = [];
        account.Passkeys = [];
        session.Store(account);

        var open = await session.Query<Sessions.SignInSession>()
            .Where(s => s.UserId == account.Id && s.EndedAt == null).CountAsync(http.RequestAborted);
        await MemberSessions.EndAllAsync(session, account, clock, "second-factors-reset");
        // The method and support's notes are about how identity was checked, never a secret: the audit keeps them.
        Audit.Record(session, http, clock, "account.second-factors-reset", nameof(Account), account.Id.ToString(), account.ClientId,
            $"method: {request.Method}; verified: {request.Verification!.Trim()}; removed: {(had.Count == 0 ? "nothing" : string.Join(", ", had))}");
        var mustEnrol = account.Role != PortalRoles.Client;
        return (new SecondFactorsResetDone(account.Id, account.Email, now, open, mustEnrol),
            [new SecondFactorsReset(Guid.CreateVersion7(), account.Email, account.FirstName, now, mustEnrol)]);
    }
}
