using Marten;
using Microsoft.Extensions.Configuration;
using Portal.Contracts;
using Portal.Notifications.Delivery;
using Portal.Notifications.Roster;

namespace Portal.Notifications.ClientEmails;

/// <summary>
/// The provider sent an insurance plan back: the client is emailed the provider's message and a link to their
/// insurance page. No plan details (payer, member ID, photos) are put in the email.
/// </summary>
public sealed class InsurancePlanReturnedHandler
{
    public static async Task<SendEmail> Handle(InsurancePlanReturned returned, IQuerySession session, IConfiguration configuration,
        TimeProvider clock, CancellationToken cancellation)
    {
        var client = await Recipients.ClientAsync(session, returned.ClientId, cancellation);
        return new SendEmail(DeterministicId.From("insurance-returned", returned.EventId), returned.EventId, "insurance-returned", client.Email,
            new Dictionary<string, string>
            {
                ["firstName"] = client.FirstName,
                ["practiceName"] = client.PracticeName,
                ["planRank"] = returned.Rank == PlanRank.Primary ? "primary" : "secondary",
                ["providerMessage"] = returned.Message,
                ["insuranceLink"] = $"{Links.Portal(configuration)}/insurance",
            },
            clock.GetUtcNow());
    }
}
