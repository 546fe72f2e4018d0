using Alba;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Security;

/// <summary>
/// The authorization matrix over every API endpoint and page the host serves (discovered, not listed): anonymous
/// callers are turned away, and another practice's provider or another client gets 401, 403 or 404 for practice A's
/// records, and never their data.
/// </summary>
public sealed class AuthorizationMatrixTests(PortalFixture fixture) : PortalTest(fixture)
{
    private const string MarkerFirstName = "Zephyrine";
    private const string MarkerLastName = "Quillfeather";

    [Fact]
    public async Task Every_API_endpoint_not_declared_public_answers_401_to_anonymous_callers()
    {
        var routes = (await ApiSurface.DiscoverAsync(Host)).Where(r => !r.IsPage && !r.AllowsAnonymous).ToList();
        routes.ShouldNotBeEmpty();

        var failures = new List<string>();
        foreach (var route in routes)
        {
            var url = route.Fill(_ => Guid.NewGuid().ToString());
            var result = await Send(route.Method, url, actor: null);
            if (result.Context.Response.StatusCode != 401) failures.Add($"{route} -> {result.Context.Response.StatusCode}");
        }
        failures.ShouldBeEmpty();
    }

    [Fact]
    public async Task Console_and_support_pages_are_never_public_and_send_anonymous_visitors_to_sign_in()
    {
        var pages = (await ApiSurface.DiscoverAsync(Host))
            .Where(r => r.IsPage && r.Method == "GET" && (r.Pattern.StartsWith("/console") || r.Pattern.StartsWith("/support")))
            .ToList();
        pages.ShouldNotBeEmpty();

        var failures = new List<string>();
        foreach (var page in pages)
        {
            if (page.AllowsAnonymous) failures.Add($"{page} is declared public");
            var result = await Send("GET", page.Fill(_ => Guid.NewGuid().ToString()), actor: null);
            var location = result.Context.Response.Headers.Location.ToString();
            if (result.Context.Response.StatusCode != 302 || !location.Contains("/signin"))
                failures.Add($"{page} -> {result.Context.Response.StatusCode} {location}");
        }
        failures.ShouldBeEmpty();
    }

    [Fact]
    public async Task Another_practice_s_provider_and_another_client_get_401_403_or_404_and_never_data()
    {
        var providerA = await Host.NewProviderAsync();
        var clientA = await Host.NewClientWithAccountAsync(providerA, MarkerFirstName, MarkerLastName);
        var providerB = await Host.NewProviderAsync();
        var clientB = await Host.NewClientWithAccountAsync(providerB);

        string IdsOfA(string parameter) => parameter switch
        {
            "clientId" => clientA.ClientId.ToString(),
            "providerId" => providerA.ProviderId.ToString(),
            "practiceId" => providerA.PracticeId.ToString(),
            _ => Guid.NewGuid().ToString(),
        };

        var routes = (await ApiSurface.DiscoverAsync(Host)).Where(r => !r.AllowsAnonymous).ToList();
        var failures = new List<string>();
        foreach (var route in routes)
        {
            var url = route.Fill(IdsOfA);
            foreach (var (who, actor) in new (string, ISignedIn)[] { ("provider B", providerB), ("client B", clientB) })
            {
                var result = await Send(route.Method, url, actor);
                var status = result.Context.Response.StatusCode;
                var body = await result.ReadAsTextAsync();

                if (body.Contains(MarkerLastName) || body.Contains(clientA.Email) || body.Contains(providerA.Email))
                    failures.Add($"{route} as {who}: response holds practice A's data");

                var namesARecord = route.Parameters.Count > 0;
                var refused = status is 401 or 403 or 404 || (route.IsPage && status == 302)
                              // a write may fail validation before the record is looked up; that reveals nothing
                              || (route.Method != "GET" && status is 400 or 405 or 409 or 415);
                if (namesARecord && !refused && !(route.IsPage && status == 200 && !body.Contains(MarkerLastName)))
                    failures.Add($"{route} as {who} -> {status}");
            }
        }
        failures.ShouldBeEmpty();
    }

    private Task<IScenarioResult> Send(string method, string url, ISignedIn? actor) => Host.Scenario(s =>
    {
        if (actor is not null) s.As(actor);
        s.WithRequestHeader("Accept", url.StartsWith("/api/") ? "application/json" : "text/html");
        switch (method)
        {
            case "GET": s.Get.Url(url); break;
            case "DELETE": s.Delete.Url(url); break;
            case "PUT": s.Put.Json(new { }).ToUrl(url); break;
            case "PATCH": s.Patch.Json(new { }).ToUrl(url); break;
            default: s.Post.Json(new { }).ToUrl(url); break;
        }
        s.IgnoreStatusCode();
    });
}
