using Portal.Notifications.Delivery;

namespace Portal.Notifications.ClientEmails;

/// <summary>
/// The provider sent an insurance plan back: the client is emailed the provider's message and a link to their
/// insurance page. No plan details (payer, member ID, photos) are put in the email.
/// </summary>
public sealed class InsurancePlanReturnedHandler
{
    public static Task<OutgoingMessages> Handle(InsurancePlanReturned returned, IQuerySession session, IConfiguration configuration,
        TimeProvider clock, CancellationToken cancellation) =>
        new ClientEmail("insurance-returned", returned.EventId, returned.ClientId).ComposeForRecordByReaderAsync(session, clock, reader => new()
        {
            ["planRank"] = reader.Words(returned.Rank == PlanRank.Primary ? "primary" : "secondary"),
            ["providerMessage"] = returned.Message,
            ["insuranceLink"] = $"{Links.Portal(configuration)}/insurance",
        }, tellClient: true, cancellation);
}
