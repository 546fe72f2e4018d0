using Portal.Autopay.Gateway;

namespace Portal.Autopay.Charges;

/// <summary>A durable scheduled retry of a declined charge, due at <see cref="DueAt"/> by the portal's clock.</summary>
public sealed record RetryAutopayCharge(string ChargeId, int Attempt, DateTimeOffset DueAt);

public static class RetryAutopayChargeHandler
{
    /// <summary>Lets the state decide: a retry that was already made, or whose charge settled, does nothing.</summary>
    public static async Task<OutgoingMessages> Handle(RetryAutopayCharge retry, IDocumentSession session, IPaymentGateway gateway,
        TimeProvider clock, CancellationToken cancellation)
    {
        if (clock.GetUtcNow() < retry.DueAt) return [retry.ScheduledAt(retry.DueAt)];

        var charge = await session.LoadAsync<AutopayCharge>(retry.ChargeId, cancellation);
        if (charge is not { Status: AutopayChargeStatus.Failed } || charge.Attempts != retry.Attempt - 1) return [];
        // A discharge stops charges, retries of a declined one included.
        if (await session.LoadAsync<Roster.AutopayClient>(charge.ClientId, cancellation) is { Discharged: true }) return [];
        return await ChargeAttempts.AttemptAsync(charge, session, gateway, clock, cancellation);
    }
}
