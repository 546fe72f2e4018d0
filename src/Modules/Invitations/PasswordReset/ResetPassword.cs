using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Portal.BuildingBlocks.Auditing;
using Portal.Invitations.Accounts;
using Portal.Invitations.SignIn;
using Wolverine;
using Wolverine.Http;

namespace Portal.Invitations.PasswordReset;

/// <summary>Choose a new password from the emailed link. The link then stops working; the account is unlocked.</summary>
public sealed record ResetPasswordRequest(string Token, string Password);

internal sealed class ResetPasswordValidator : AbstractValidator<ResetPasswordRequest>
{
    public ResetPasswordValidator()
    {
        RuleFor(r => r.Token).NotEmpty().MaximumLength(100);
        RuleFor(r => r.Password).Custom((password, context) =>
        {
            if (Passwords.Problem(password) is { } problem) context.AddFailure(nameof(ResetPasswordRequest.Password), problem);
        });
    }
}

internal enum ResetOutcome
{
    Done,
    LinkNotUsable,
    PasswordRefused,
}

public static class ResetPasswordEndpoint
{
    public const string LinkNotUsableMessage = "This reset link has expired or was already used. Ask for a new one.";

    [WolverinePost("/api/account/password-reset/complete")]
    [AllowAnonymous]
    [EnableRateLimiting(AuthRateLimits.Policy)]
    public static async Task<(IResult, OutgoingMessages)> Post(ResetPasswordRequest request, HttpContext http, IDocumentSession session, TimeProvider clock)
    {
        var (outcome, problem, messages) = await ResetAsync(request, http, session, clock);
        return (outcome switch
        {
            ResetOutcome.Done => Results.NoContent(),
            ResetOutcome.PasswordRefused => Results.ValidationProblem(new Dictionary<string, string[]> { ["password"] = [problem!] }),
            _ => Results.Problem(statusCode: 410, title: LinkNotUsableMessage),
        }, messages);
    }

    /// <summary>Sets the new password; a client's lock still running ends now and the provider's client list is told.</summary>
    internal static async Task<(ResetOutcome, string?, OutgoingMessages)> ResetAsync(ResetPasswordRequest request, HttpContext http, IDocumentSession session, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        var hash = SecretTokens.Hash(request.Token);
        var ticket = await session.Query<PasswordResetTicket>().FirstOrDefaultAsync(t => t.TokenHash == hash);
        var account = ticket is null ? null : await session.LoadAsync<Account>(ticket.AccountId);
        if (ticket is null || account is null || !ticket.IsUsable(now))
        {
            Audit.Record(session, http, clock, "account.password-reset", "Account", account?.Id.ToString(), account?.ClientId, "link-not-usable");
            return (ResetOutcome.LinkNotUsable, null, []);
        }
        if (Passwords.Problem(request.Password, account.Email) is { } problem) return (ResetOutcome.PasswordRefused, problem, []);

        account.PasswordHash = Passwords.Hash(account, request.Password);
        account.Active = true;
        account.ActivatedAt ??= now;
        OutgoingMessages messages = account.ClearLock(now) is { } lockEnded ? [lockEnded] : [];
        ticket.UsedAt = now;
        session.Store(account);
        session.Store(ticket);
        Audit.Record(session, http, clock, "account.password-reset", "Account", account.Id.ToString(), account.ClientId, "done");
        return (ResetOutcome.Done, null, messages);
    }
}
