using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Portal.Invitations.Accounts;

namespace Portal.Invitations.Support;

/// <summary>
/// Support staff accounts are not invited: the first one comes from configuration (Portal:Support:Email,
/// Portal:Support:Password, optional Portal:Support:Name) and is created at startup when no account has that email.
/// An existing account is never changed, so a password changed later is not reset by a restart.
/// </summary>
internal sealed class SupportAccountSeeding(IDocumentStore store, IConfiguration configuration, TimeProvider clock,
    ILogger<SupportAccountSeeding> logger) : IHostedService
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

        await using var session = store.LightweightSession();
        if (await SupportAccounts.EnsureAsync(session, email, password, configuration["Portal:Support:Name"] ?? "Support", clock))
            logger.LogInformation("Created the configured support account.");
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

internal static class SupportAccounts
{
    /// <summary>Creates an active support account unless one has this email; true when it created one.</summary>
    public static async Task<bool> EnsureAsync(IDocumentSession session, string email, string password, string name, TimeProvider clock)
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
        };
        account.PasswordHash = Passwords.Hash(account, password);
        session.Store(account);
        await session.SaveChangesAsync();
        return true;
    }
}
