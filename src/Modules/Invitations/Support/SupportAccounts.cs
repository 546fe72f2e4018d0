using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Portal.Invitations.Accounts;

namespace Portal.Invitations.Support;

/// <summary>
/// Support staff accounts are not invited: the first one comes from configuration (Portal:Support:Email,
/// Portal:Support:Password, optional Portal:Support:Name) and is created at startup when no account has that email.
/// An existing account is never changed, so a password changed later is not reset by a restart. Support is staff and
/// needs a second factor: with Portal:Support:AuthenticatorKey (base32, as an authenticator app takes it) the account
/// starts with that authenticator app; without it, support sets one up at its first sign-in.
/// </summary>
internal sealed class SupportAccountSeeding(IDocumentStore store, IConfiguration configuration, TimeProvider clock,
    IDataProtectionProvider protection, ILogger<SupportAccountSeeding> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var email = configuration["Portal:Support:Email"];
        var password = configuration["Portal:Support:Password"];
        if (string.IsNullOrWhiteSpace(email) || string.IsNullOrEmpty(password)) return;
        if (Passwords.Problem(password) is { } problem)
        {
            logger.LogError("Portal:Support:Password is not acceptable ({Problem}); no support account was created.", problem);
            return;
        }

        var key = configuration["Portal:Support:AuthenticatorKey"]?.Replace(" ", string.Empty).ToUpperInvariant();
        if (key is { Length: > 0 } && !IsBase32Key(key))
        {
            logger.LogError("Portal:Support:AuthenticatorKey is not a base32 key of at least 16 characters; the support account sets one up at sign-in.");
            key = null;
        }
        await using var session = store.LightweightSession();
        if (await SupportAccounts.EnsureAsync(session, email, password, configuration["Portal:Support:Name"] ?? "Support", clock,
                key is { Length: > 0 } ? protection.CreateProtector(SignIn.Totp.Purpose).Protect(key) : null))
            logger.LogInformation("Created the configured support account.");
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static bool IsBase32Key(string key) => key.Length >= 16 && key.All(c => c is >= 'A' and <= 'Z' or >= '2' and <= '7');
}

internal static class SupportAccounts
{
    /// <summary>Creates an active support account unless one has this email; true when it created one.</summary>
    public static async Task<bool> EnsureAsync(IDocumentSession session, string email, string password, string name, TimeProvider clock,
        string? protectedTotpSecret = null)
    {
        email = email.Trim().ToLowerInvariant();
        if (await session.Query<Account>().AnyAsync(a => a.Email == email)) return false;
        var now = clock.GetUtcNow();
        var account = new Account
        {
            Id = Guid.CreateVersion7(),
            Email = email,
            Role = PortalRoles.Support,
            DisplayName = name,
            FirstName = name,
            Active = true,
            CreatedAt = now,
            ActivatedAt = now,
            ProtectedTotpSecret = protectedTotpSecret,
            TotpEnabled = protectedTotpSecret is not null,
        };
        account.PasswordHash = Passwords.Hash(account, password);
        session.Store(account);
        await session.SaveChangesAsync();
        return true;
    }
}
