using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Portal.Autopay.Accounts;
using Portal.BuildingBlocks.Auditing;
using Portal.BuildingBlocks.Security;
using Portal.Contracts;
using Wolverine;
using Wolverine.Http;

namespace Portal.Autopay.Enrolment;

/// <summary>A client cancels autopay; the card is removed at the processor. <see cref="Version"/> as for a card change.</summary>
public sealed record CancelAutopayRequest(long? Version);

public static class CancelAutopayEndpoint
{
    [WolverinePost("/api/autopay/cancellation")]
    [Authorize(Policy = PortalPolicies.Client)]
    public static async Task<IResult> Post(CancelAutopayRequest request, IDocumentSession session, IMessageBus bus, TimeProvider clock,
        HttpContext http, CancellationToken cancellation)
    {
        var (view, problem) = await CancelAutopay.ExecuteAsync(request, session, bus, clock, http, cancellation);
        return problem?.ToResult() ?? Results.Ok(view);
    }
}

internal static class CancelAutopay
{
    public static async Task<(AutopayView? View, AutopayProblem? Problem)> ExecuteAsync(CancelAutopayRequest request, IDocumentSession session,
        IMessageBus bus, TimeProvider clock, HttpContext http, CancellationToken cancellation)
    {
        var (client, noAccount) = await CardOnFile.SignedInClientAsync(session, http, cancellation);
        if (client is null) return (null, noAccount);

        var streamId = AutopayStream.For(client.Id);
        var stream = await session.Events.FetchForWriting<AutopayAccount>(streamId, cancellation);
        if (stream.Aggregate is not { Status: AutopayStatus.Active or AutopayStatus.Suspended, Card: { } card } account)
            return (null, new AutopayProblem(StatusCodes.Status409Conflict, "Autopay is not active, so there is nothing to cancel.", Code: "not_enrolled"));
        if (request.Version is { } seen && seen != stream.CurrentVersion) return (null, AutopayProblem.StaleVersion);

        var now = clock.GetUtcNow();
        var actor = CurrentUser.From(http.User)!.AsActor();
        var cancelled = new AutopayCancelled(client.Id, actor, now);
        stream.AppendOne(cancelled);
        Audit.Record(session, http, clock, "autopay.cancel", nameof(AutopayAccount), streamId.ToString(), client.Id, "cancelled");
        await bus.PublishAsync(new AutopayChanged(Guid.CreateVersion7(), client.Id, account.ProviderId, AutopayChange.Cancelled, actor, now, null));
        await bus.PublishAsync(new RemoveReplacedCard(card.CustomerToken));

        account.Apply(cancelled);
        return (AutopayView.From(client.Id, account, (stream.CurrentVersion ?? 0) + 1), null);
    }
}
