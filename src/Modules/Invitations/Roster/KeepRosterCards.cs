using JasperFx;
using Portal.Invitations.Accounts;
using Wolverine.Attributes;

namespace Portal.Invitations.Roster;

/// <summary>
/// Keeps this module's copies of the roster current. A new provider gets a provider account straight away (without a
/// password: support sets one, or the provider uses a reset link); a provider's email change follows to the account.
/// </summary>
public static class KeepRosterCardsHandler
{
    public static async Task Handle(ClientRosterChanged message, IDocumentSession session)
    {
        var card = await session.LoadAsync<InvitationsClient>(message.ClientId) ?? new InvitationsClient();
        if (!card.Apply(message)) return;
        card.DateOfBirth = message.DateOfBirth;
        session.Store(card);
    }

    /// <summary>
    /// Two roster messages about a new provider (created, then switched on) can be handled at the same time; both
    /// create the account and the second commit breaks the unique email. Handled again, it finds the account.
    /// </summary>
    [RetryNow(typeof(DocumentAlreadyExistsException), 50, 100, 250)]
    public static async Task Handle(ProviderRosterChanged message, IDocumentSession session, TimeProvider clock)
    {
        var card = await session.LoadAsync<InvitationsProvider>(message.ProviderId) ?? new InvitationsProvider { Id = message.ProviderId };
        if (message.Version < card.Version) return;
        card.PracticeId = message.PracticeId;
        card.PracticeName = message.PracticeName;
        card.Name = message.Name;
        card.Email = message.Email;
        card.PortalEnabled = message.PortalEnabled;
        card.Version = message.Version;
        session.Store(card);

        var account = await session.Query<Account>().FirstOrDefaultAsync(a => a.ProviderId == message.ProviderId)
            ?? new Account
            {
                Id = Guid.CreateVersion7(), Role = PortalRoles.Provider, ProviderId = message.ProviderId, CreatedAt = clock.GetUtcNow()
            };
        account.Email = message.Email.Trim().ToLowerInvariant();
        account.PracticeId = message.PracticeId;
        account.DisplayName = message.Name;
        account.FirstName = message.Name.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? message.Name;
        session.Store(account);
    }
}
