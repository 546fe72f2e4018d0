using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Portal.Autopay.Accounts;
using Portal.Autopay.Gateway;
using Portal.BuildingBlocks.Auditing;
using Portal.BuildingBlocks.Security;
using Portal.Contracts;
using Wolverine;
using Wolverine.Http;

namespace Portal.Autopay.Enrolment;

/// <summary>
/// A client replaces the card on file (also how suspended autopay is resumed). The new card needs the authorization
/// again. <see cref="Version"/>, when given, is the autopay version the client saw: a stale one is refused (409).
/// </summary>
public sealed record UpdateAutopayCardRequest(string? CardToken, string? CardholderName, string? BillingPostalCode, string? ConsentVersion, bool AgreedToAuthorization, long? Version);

internal sealed class UpdateAutopayCardRequestValidator : AbstractValidator<UpdateAutopayCardRequest>
{
    public UpdateAutopayCardRequestValidator() =>
        this.AddCardDetailsRules(r => r.CardToken, r => r.CardholderName, r => r.BillingPostalCode, r => r.ConsentVersion, r => r.AgreedToAuthorization);
}

/// <summary>After the change commits, the replaced card is removed at the processor.</summary>
public sealed record RemoveReplacedCard(string CustomerToken);

public static class UpdateAutopayCardEndpoint
{
    [WolverinePut("/api/autopay/card")]
    [Authorize(Policy = PortalPolicies.Client)]
    public static async Task<IResult> Put(UpdateAutopayCardRequest request, IDocumentSession session, IMessageBus bus, IPaymentGateway gateway,
        TimeProvider clock, HttpContext http, CancellationToken cancellation)
    {
        var (view, problem) = await UpdateAutopayCard.ExecuteAsync(request, session, bus, gateway, clock, http, cancellation);
        return problem?.ToResult() ?? Results.Ok(view);
    }
}

public static class RemoveReplacedCardHandler
{
    public static Task Handle(RemoveReplacedCard message, IPaymentGateway gateway, CancellationToken cancellation) =>
        gateway.RemoveCustomerTokenAsync(message.CustomerToken, cancellation);
}

internal static class UpdateAutopayCard
{
    public static async Task<(AutopayView? View, AutopayProblem? Problem)> ExecuteAsync(UpdateAutopayCardRequest request, IDocumentSession session,
        IMessageBus bus, IPaymentGateway gateway, TimeProvider clock, HttpContext http, CancellationToken cancellation)
    {
        var (client, noAccount) = await CardOnFile.SignedInClientAsync(session, http, cancellation);
        if (client is null) return (null, noAccount);

        var streamId = AutopayStream.For(client.Id);
        var stream = await session.Events.FetchForWriting<AutopayAccount>(streamId, cancellation);
        if (stream.Aggregate is not { Status: AutopayStatus.Active or AutopayStatus.Suspended, Card: { } oldCard } account)
            return (null, new AutopayProblem(StatusCodes.Status409Conflict,
                "You are not enrolled in autopay. Enroll to save a card.", Code: "not_enrolled"));
        if (request.Version is { } seen && seen != stream.CurrentVersion) return (null, AutopayProblem.StaleVersion);

        var (card, declined) = await CardOnFile.SaveAsync(gateway, new CardDetails(request.CardToken, request.CardholderName, request.BillingPostalCode), cancellation);
        var now = clock.GetUtcNow();
        Audit.Record(session, http, clock, "autopay.card.update", nameof(AutopayAccount), streamId.ToString(), client.Id, declined?.Code ?? "updated");
        if (card is null) return (null, declined);

        var actor = CurrentUser.From(http.User)!.AsActor();
        var updated = new AutopayCardUpdated(client.Id, card, CardOnFile.Consent(http, now), actor, now);
        stream.AppendOne(updated);
        await bus.PublishAsync(new AutopayChanged(Guid.CreateVersion7(), client.Id, account.ProviderId, AutopayChange.CardUpdated, actor, now, null));
        await bus.PublishAsync(new RemoveReplacedCard(oldCard.CustomerToken));
        await CardOnFile.ScheduleExpiryChecksAsync(bus, client.Id, card, now);

        account.Apply(updated);
        return (AutopayView.From(client.Id, account, (stream.CurrentVersion ?? 0) + 1), null);
    }
}
