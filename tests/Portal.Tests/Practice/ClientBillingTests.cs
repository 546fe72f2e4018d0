using Alba;
using Marten;
using Portal.Contracts;
using Portal.Intake.Roster;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Practice;

/// <summary>
/// How a client pays (insurance or self-pay), which workflow conditions and triggers read: set when the client is added
/// or edited, shown on the record, and carried to every module's copy of the client.
/// </summary>
public sealed class ClientBillingTests(PortalFixture fixture) : PortalTest(fixture)
{
    private sealed record IdBody(Guid ClientId);

    private sealed record DetailsBody(Guid ClientId, string? Billing, long Version);

    private async Task<Guid> AddAsync(ProviderActor owner, object body)
    {
        var (_, result) = await TrackedScenario(s =>
        {
            s.As(owner);
            s.Post.Json(body).ToUrl("/api/console/clients");
            s.StatusCodeShouldBe(201);
        });
        return (await result.ReadAsJsonAsync<IdBody>())!.ClientId;
    }

    private async Task<DetailsBody> DetailsAsync(ProviderActor owner, Guid clientId)
    {
        var result = await Host.Scenario(s =>
        {
            s.As(owner);
            s.Get.Url($"/api/console/clients/{clientId}");
            s.StatusCodeShouldBe(200);
        });
        return (await result.ReadAsJsonAsync<DetailsBody>())!;
    }

    [Fact]
    public async Task A_client_added_as_billing_insurance_carries_it_to_the_record_and_the_workflows_copy()
    {
        var owner = await Host.NewProviderAsync();
        var clientId = await AddAsync(owner, new
        {
            firstName = "Ines", lastName = "Insured", email = $"ines-{Guid.NewGuid():N}@portal.test",
            dateOfBirth = new DateOnly(1988, 2, 3), billing = "insurance",
        });

        (await DetailsAsync(owner, clientId)).Billing.ShouldBe("insurance");
        await using var query = OpenSession();
        (await query.LoadAsync<IntakeClient>(clientId))!.Billing.ShouldBe(ClientBilling.Insurance);
    }

    [Fact]
    public async Task Billing_left_out_stays_unknown_and_an_edit_sets_it_while_an_edit_without_it_keeps_it()
    {
        var owner = await Host.NewProviderAsync();
        var clientId = await AddAsync(owner, new
        {
            firstName = "Sam", lastName = "Self", email = $"sam-{Guid.NewGuid():N}@portal.test", dateOfBirth = new DateOnly(1990, 1, 1),
        });
        (await DetailsAsync(owner, clientId)).Billing.ShouldBeNull();

        await TrackedScenario(s =>
        {
            s.As(owner);
            s.Put.Json(new { firstName = "Sam", lastName = "Self", dateOfBirth = new DateOnly(1990, 1, 1), billing = "selfPay" })
                .ToUrl($"/api/console/clients/{clientId}");
            s.StatusCodeShouldBe(200);
        });
        (await DetailsAsync(owner, clientId)).Billing.ShouldBe("selfPay");

        await TrackedScenario(s =>
        {
            s.As(owner);
            s.Put.Json(new { firstName = "Samuel", lastName = "Self", dateOfBirth = new DateOnly(1990, 1, 1) })
                .ToUrl($"/api/console/clients/{clientId}");
            s.StatusCodeShouldBe(200);
        });
        (await DetailsAsync(owner, clientId)).Billing.ShouldBe("selfPay");
        await using var query = OpenSession();
        (await query.LoadAsync<IntakeClient>(clientId))!.Billing.ShouldBe(ClientBilling.SelfPay);
    }

    [Fact]
    public async Task An_unknown_billing_is_refused_naming_the_field_and_adds_nobody()
    {
        var owner = await Host.NewProviderAsync();
        var email = $"cash-{Guid.NewGuid():N}@portal.test";
        var result = await Host.Scenario(s =>
        {
            s.As(owner);
            s.Post.Json(new { firstName = "Cash", lastName = "Payer", email, dateOfBirth = new DateOnly(1990, 1, 1), billing = "cash" })
                .ToUrl("/api/console/clients");
            s.StatusCodeShouldBe(400);
        });
        result.Context.Response.ContentType.ShouldStartWith("application/problem+json");
        (await result.ReadAsTextAsync()).ShouldContain("billing", Case.Insensitive);
        await using var query = OpenSession();
        (await query.Query<Portal.Practice.Roster.RosterClient>().AnyAsync(c => c.Email == email)).ShouldBeFalse();
    }
}
