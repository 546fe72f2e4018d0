using Alba;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Foundation;

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
    public async Task OpenAPI_document_and_API_reference_are_served()
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
            s.StatusCodeShouldBeOk();
        });
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
}
