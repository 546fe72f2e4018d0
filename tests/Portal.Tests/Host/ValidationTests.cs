using System.Text;
using System.Text.Json;
using Alba;
using Marten;
using Portal.Practice.Roster;
using Portal.Tests.Infrastructure;
using Portal.Tests.Insurance;

namespace Portal.Tests.Host;

/// <summary>Every endpoint's validator runs before the endpoint: bad input gets 400 problem+json naming each field and stores nothing.</summary>
public sealed class ValidationTests(PortalFixture fixture) : PortalTest(fixture)
{
    [Fact]
    public async Task Invalid_fields_get_400_problem_details_naming_each_field_and_nothing_is_stored()
    {
        var provider = await Host.NewProviderAsync();

        var result = await Host.Scenario(s =>
        {
            s.As(provider);
            s.Post.Json(new { firstName = "", lastName = "Rivera", email = "not-an-email", dateOfBirth = "1990-01-01" })
                .ToUrl("/api/console/clients");
            s.StatusCodeShouldBe(400);
        });

        result.Context.Response.ContentType!.ShouldStartWith("application/problem+json");
        using var problem = JsonDocument.Parse(await result.ReadAsTextAsync());
        var errors = problem.RootElement.GetProperty("errors");
        errors.TryGetProperty("firstName", out _).ShouldBeTrue();
        errors.TryGetProperty("email", out _).ShouldBeTrue();
        errors.TryGetProperty("lastName", out _).ShouldBeFalse();

        await using var session = OpenSession();
        (await session.Query<RosterClient>().CountAsync()).ShouldBe(0);
    }

    [Fact]
    public async Task Text_with_a_NUL_character_gets_400_naming_the_field_at_any_depth_and_nothing_is_stored()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider);

        var result = await Host.Scenario(s =>
        {
            s.As(client);
            s.Put.Json(InsuranceApi.Plan(0, memberId: "XJH\u00001234",
                subscriber: new { isClient = false, name = "Sam\u0000 Rivera", dateOfBirth = "1970-01-01", relationship = "child" }))
                .ToUrl("/api/insurance/plans/primary");
            s.StatusCodeShouldBe(400);
        });

        using var problem = JsonDocument.Parse(await result.ReadAsTextAsync());
        var errors = problem.RootElement.GetProperty("errors");
        errors.EnumerateObject().Select(e => e.Name).Order().ShouldBe(["memberId", "subscriber.name"]);
        (await Host.MineAsync(client)).Primary.ShouldBeNull();

        // The same request without the NUL characters is taken.
        await Host.Scenario(s =>
        {
            s.As(client);
            s.Put.Json(InsuranceApi.Plan(0, memberId: "XJH1234",
                subscriber: new { isClient = false, name = "Sam Rivera", dateOfBirth = "1970-01-01", relationship = "child" }))
                .ToUrl("/api/insurance/plans/primary");
            s.StatusCodeShouldBeOk();
        });
    }

    [Theory]
    [InlineData("{\"firstName\": ")]
    [InlineData("[1, 2, 3]")]
    [InlineData("{\"firstName\": {\"nested\": true}, \"email\": 42}")]
    [InlineData("{\"dateOfBirth\": \"yesterday\"}")]
    public async Task Malformed_JSON_gets_a_4xx_never_a_500_and_nothing_is_stored(string body)
    {
        var provider = await Host.NewProviderAsync();

        var result = await Host.Scenario(s =>
        {
            s.As(provider);
            s.Post.Text(body).ToUrl("/api/console/clients");
            s.WithRequestHeader("Content-Type", "application/json");
            s.IgnoreStatusCode();
        });

        result.Context.Response.StatusCode.ShouldBeInRange(400, 499);
        await using var session = OpenSession();
        (await session.Query<RosterClient>().CountAsync()).ShouldBe(0);
    }

    [Fact]
    public async Task A_body_that_is_not_UTF8_gets_a_4xx()
    {
        var provider = await Host.NewProviderAsync();
        var invalidUtf8 = Encoding.ASCII.GetBytes("{\"firstName\": \"")
            .Concat(new byte[] { 0xC3, 0x28, 0xFF })
            .Concat(Encoding.ASCII.GetBytes("\"}"))
            .ToArray();

        var result = await Host.Scenario(s =>
        {
            s.As(provider);
            s.Post.ByteArray(invalidUtf8).ToUrl("/api/console/clients");
            s.WithRequestHeader("Content-Type", "application/json");
            s.IgnoreStatusCode();
        });

        result.Context.Response.StatusCode.ShouldBeInRange(400, 499);
    }
}
