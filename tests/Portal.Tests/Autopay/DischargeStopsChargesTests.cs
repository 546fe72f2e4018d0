using System.Text.Json;
using Alba;
using Marten;
using Portal.Autopay.SandboxGateway;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Autopay;

public sealed class DischargeStopsChargesTests(PortalFixture fixture) : AutopayTest(fixture)
{
    [Fact]
    public async Task A_discharged_client_is_charged_nothing_new_until_reopened()
    {
        var client = await AClientAsync();
        await EnrolWithCardAsync(client, "4242424242424242");
        await PostBalanceAsync(client, 15000, "invoice-before", 201);

        await TrackedScenario(s =>
        {
            AsProvider(s, client);
            s.Post.Json(new { reason = "Client moved away" }).ToUrl($"/api/console/clients/{client.ClientId}/discharge");
            s.StatusCodeShouldBeOk();
        });

        var (_, refused) = await PostBalanceAsync(client, 9000, "invoice-after", 409);
        (await refused.ReadAsJsonAsync<JsonElement>()).GetProperty("code").GetString().ShouldBe("client_discharged");
        await using (var session = OpenSession())
            (await session.Query<SandboxCharge>().CountAsync()).ShouldBe(1);

        await TrackedScenario(s =>
        {
            AsProvider(s, client);
            s.Post.Url($"/api/console/clients/{client.ClientId}/reopen");
            s.StatusCodeShouldBeOk();
        });
        await PostBalanceAsync(client, 9000, "invoice-after", 201);
    }
}
