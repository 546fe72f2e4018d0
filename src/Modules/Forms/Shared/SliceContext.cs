using System.Security.Claims;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Portal.BuildingBlocks.Auditing;

namespace Portal.Forms.Shared;

/// <summary>
/// What a slice works with besides its request: the caller's HTTP request (who asks and from where, for the audit
/// trail, and its cancellation), the session its changes go into, and the clock. An endpoint and the page that shares
/// its slice each build one; a slice that publishes messages takes the bus beside it.
/// </summary>
internal sealed record SliceContext(HttpContext Http, IDocumentSession Session, TimeProvider Clock)
{
    public ClaimsPrincipal Principal => Http.User;

    public CurrentUser? User => CurrentUser.From(Http.User);

    public CancellationToken Cancellation => Http.RequestAborted;

    /// <summary>What a client reads, in the request's language (each key is its English wording, with {0} for values).</summary>
    public IStringLocalizer Text => Http.RequestServices.GetRequiredService<IStringLocalizer<ClientText>>();

    public void Audit(string action, string recordType, string? recordId, Guid? clientId = null, string? outcome = null) =>
        BuildingBlocks.Auditing.Audit.Record(Session, Http, Clock, action, recordType, recordId, clientId, outcome);
}
