using Alba;
using Microsoft.Extensions.DependencyInjection;
using Portal.Tests.Infrastructure;
using Wolverine.Runtime;

namespace Portal.Tests.Host;

public sealed class HostTests(PortalFixture fixture) : PortalTest(fixture)
{
    [Fact]
    public async Task Ready_health_check_answers_200_when_PostgreSQL_is_up()
    {
        await Host.Scenario(s =>
        {
            s.Get.Url("/health/ready");
            s.StatusCodeShouldBeOk();
        });
    }

    [Fact]
    public async Task OpenAPI_document_is_served_and_the_API_reference_with_its_inline_script_only_in_development()
    {
        var result = await Host.Scenario(s =>
        {
            s.Get.Url("/openapi/v1.json");
            s.StatusCodeShouldBeOk();
        });
        (await result.ReadAsTextAsync()).ShouldContain("\"openapi\"");

        await Host.Scenario(s =>
        {
            s.Get.Url("/scalar/");
            s.StatusCodeShouldBe(404);
        });
    }

    [Fact]
    public void Without_a_telemetry_exporter_the_host_does_not_scan_the_inbox_for_metrics_nobody_reads()
    {
        var durability = Host.Services.GetRequiredService<IWolverineRuntime>().Options.Durability;
        durability.DurabilityMetricsEnabled.ShouldBeFalse();
        durability.UpdateMetricsPeriod.ShouldBe(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Unknown_API_route_gets_a_problem_details_404()
    {
        var result = await Host.Scenario(s =>
        {
            s.Get.Url("/api/no-such-thing");
            s.WithRequestHeader("Accept", "application/json");
            s.StatusCodeShouldBe(404);
        });
        result.Context.Response.ContentType!.ShouldStartWith("application/problem+json");
    }

    [Fact]
    public async Task Unknown_page_gets_a_friendly_404_page_not_a_stack_trace()
    {
        var result = await Host.Scenario(s =>
        {
            s.Get.Url("/no/such/page");
            s.WithRequestHeader("Accept", "text/html");
            s.StatusCodeShouldBe(404);
        });
        var body = await result.ReadAsTextAsync();
        body.ShouldContain("Page not found");
        body.ShouldNotContain("Exception");
    }

    [Fact]
    public async Task Every_page_carries_the_security_headers()
    {
        var result = await Host.Scenario(s =>
        {
            s.Get.Url("/");
            s.StatusCodeShouldBeOk();
        });
        var headers = result.Context.Response.Headers;
        var csp = headers.ContentSecurityPolicy.ToString();
        csp.ShouldContain("script-src 'self'");
        csp.ShouldNotContain("unsafe-inline");
        csp.ShouldContain("frame-ancestors 'none'");
        headers.XContentTypeOptions.ToString().ShouldBe("nosniff");
        headers["Referrer-Policy"].ToString().ShouldBe("no-referrer");
        headers.CacheControl.ToString().ShouldBe("no-store");
    }

    [Fact]
    public async Task The_provider_console_profile_asks_for_sign_in_first()
    {
        var result = await Host.Scenario(s =>
        {
            s.Get.Url($"/console/clients/{Guid.NewGuid()}");
            s.StatusCodeShouldBe(302);
        });
        result.Context.Response.Headers.Location.ToString().ShouldContain("/signin");
    }
}
