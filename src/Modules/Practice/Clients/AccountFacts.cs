using Portal.Contracts;
using Portal.Practice.Roster;

namespace Portal.Practice.Clients;

/// <summary>
/// What the accounts module tells the roster: an account became active, or the login email changed through the
/// approved email change flow (the only way a client's email changes once they have an account).
/// </summary>
public static class AccountFactsHandler
{
    public static async Task<OutgoingMessages> Handle(ClientAccountStatusChanged message, IDocumentSession session)
    {
        var client = await session.LoadAsync<RosterClient>(message.ClientId);
        if (client is null || client.HasActiveAccount == message.HasActiveAccount) return [];
        client.HasActiveAccount = message.HasActiveAccount;
        session.Store(client);
        return [client.Changed()];
    }

    public static async Task<OutgoingMessages> Handle(EmailAddressChanged message, IDocumentSession session)
    {
        var client = await session.LoadAsync<RosterClient>(message.ClientId);
        var email = EmailAddress.Normalize(message.NewEmail);
        if (client is null || client.Email == email) return [];
        client.Email = email;
        session.Store(client);
        return [client.Changed()];
    }
}
