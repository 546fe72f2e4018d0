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
/// A client saves a card for autopay. <see cref="CardToken"/> is the sandbox (or real) processor's single-use token
/// for the card; the number itself never reaches this endpoint. Enrolling requires agreeing to the current
/// authorization text (<see cref="ConsentVersion"/>); the version, time and IP address are kept.
/// </summary>
public sealed record EnrolInAutopayRequest(string? CardToken, string? CardholderName, string? BillingPostalCode, string? ConsentVersion, bool AgreedToAuthorization);

internal sealed class EnrolInAutopayRequestValidator : AbstractValidator<EnrolInAutopayRequest>
{
    public EnrolInAutopayRequestValidator() =>
        this.AddCardDetailsRules(r => r.CardToken, r => r.CardholderName, r => r.BillingPostalCode, r => r.ConsentVersion, r => r.AgreedToAuthorization);
}

public static class EnrolInAutopayEndpoint
{
    [WolverinePost("/api/autopay/enrolment")]
    [Authorize(Policy = PortalPolicies.Client)]
    public static async Task<IResult> Post(EnrolInAutopayRequest request, IDocumentSession session, IMessageBus bus, IPaymentGateway gateway,
        TimeProvider clock, HttpContext http, CancellationToken cancellation)
    {
        var (view, problem) = await EnrolInAutopay.ExecuteAsync(request, session, bus, gateway, clock, http, cancellation);
        return problem?.ToResult() ?? Results.Ok(view);
    }
}

internal static class EnrolInAutopay
{
    public static async Task<(AutopayView? View, AutopayProblem? Problem)> ExecuteAsync(EnrolInAutopayRequest request, IDocumentSession session,
        IMessageBus bus, IPaymentGateway gateway, TimeProvider clock, HttpContext http, CancellationToken cancellation)
    {
        var (client, noAccount) = await CardOnFile.SignedInClientAsync(session, http, cancellation);
        if (client is null) return (null, noAccount);

        var streamId = AutopayStream.For(client.Id);
        var stream = await session.Events.FetchForWriting<AutopayAccount>(streamId, cancellation);
        if (stream.Aggregate is { Status: AutopayStatus.Active or AutopayStatus.Suspended })
            return (null, new AutopayProblem(StatusCodes.Status409Conflict,
                "You are already enrolled in autopay. To use another card, change the card on file.", Code: "already_enrolled"));

        var (card, declined) = await CardOnFile.SaveAsync(gateway, new CardDetails(request.CardToken, request.CardholderName, request.BillingPostalCode), cancellation);
        var now = clock.GetUtcNow();
        Audit.Record(session, http, clock, "autopay.enrol", nameof(AutopayAccount), streamId.ToString(), client.Id, declined?.Code ?? "enrolled");
        if (card is null) return (null, declined);

        var actor = CurrentUser.From(http.User)!.AsActor();
        stream.AppendOne(new AutopayEnrolled(client.Id, client.ProviderId, card, CardOnFile.Consent(http, now), actor, now));
        await bus.PublishAsync(new AutopayChanged(Guid.CreateVersion7(), client.Id, client.ProviderId, AutopayChange.Enrolled, actor, now, null));
        await CardOnFile.ScheduleExpiryChecksAsync(bus, client.Id, card, now);

        var account = stream.Aggregate ?? new AutopayAccount { Id = streamId };
        account.Apply(new AutopayEnrolled(client.Id, client.ProviderId, card, CardOnFile.Consent(http, now), actor, now));
        return (AutopayView.From(client.Id, account, (stream.CurrentVersion ?? 0) + 1), null);
    }
}
