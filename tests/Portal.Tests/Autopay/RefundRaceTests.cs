using System.Text.Json;
using Alba;
using Marten;
using Portal.Autopay.SandboxGateway;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Autopay;

/// <summary>Refunds sent at once with the sandbox processor, which (unlike Stripe) would not refuse an over-refund itself.</summary>
public sealed class RefundRaceTests(PortalFixture fixture) : AutopayTest(fixture)
{
    [Fact]
    public async Task Refunds_sent_at_once_never_refund_more_than_was_charged_and_the_losers_get_409()
    {
        var client = await AClientAsync();
        await EnrolWithCardAsync(client, "4242424242424242");
        await PostBalanceAsync(client, 10000, "visit-1", 201);

        var answers = await Task.WhenAll(Enumerable.Range(1, 4).Select(i => Task.Run(() => Host.Scenario(s =>
        {
            AsProvider(s, client);
            s.Post.Json(new { amountCents = 6000, reason = "Refund", idempotencyKey = $"together-{i}" })
                .ToUrl($"/api/autopay/clients/{client.ClientId}/charges/visit-1/refunds");
            s.IgnoreStatusCode();
        }))));

        var statuses = answers.Select(a => a.Context.Response.StatusCode).ToList();
        statuses.Count(s => s == 201).ShouldBe(1);
        statuses.Count(s => s == 409).ShouldBe(3);
        await using var session = OpenSession();
        (await session.Query<SandboxRefund>().ToListAsync()).Sum(r => r.AmountCents).ShouldBe(6000);
        var charge = await Host.Scenario(s =>
        {
            AsProvider(s, client);
            s.Get.Url($"/api/autopay/clients/{client.ClientId}");
        });
        (await charge.ReadAsJsonAsync<JsonElement>()).GetProperty("charges")[0].GetProperty("refundedCents").GetInt64().ShouldBe(6000);
    }
}
