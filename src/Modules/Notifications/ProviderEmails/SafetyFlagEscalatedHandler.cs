using Portal.Notifications.Delivery;
using Portal.Notifications.Roster;

namespace Portal.Notifications.ProviderEmails;

/// <summary>
/// A safety flag was not acknowledged in time (Forms' durable timer): the provider is emailed again, whatever their
/// preferences. The email names neither the client nor the instrument nor any answer, only that a safety answer
/// needs attention, and links to the console's "Needs attention" panel. Its id comes from the flag, so a replay or a
/// second host cannot send it twice.
/// </summary>
public sealed class SafetyFlagEscalatedHandler
{
    public static async Task<OutgoingMessages> Handle(SafetyFlagEscalated escalated, IDocumentSession session,
        IConfiguration configuration, TimeProvider clock, CancellationToken cancellation)
    {
        var provider = await Recipients.ProviderAsync(session, escalated.ProviderId, cancellation);
        var id = DeterministicId.From("safety-flag-escalated", escalated.FlagId, escalated.ProviderId);
        var reader = await EmailReaders.ForProviderAsync(session, provider, cancellation);
        return
        [
            new SendEmail(id, escalated.EventId, "provider-safety-escalation", provider.Email,
                reader.Dress(new Dictionary<string, string>
                {
                    ["providerName"] = provider.Name,
                    ["raisedAt"] = reader.When(escalated.RaisedAt),
                    ["consoleLink"] = Links.Console(configuration),
                }),
                clock.GetUtcNow()),
        ];
    }
}
