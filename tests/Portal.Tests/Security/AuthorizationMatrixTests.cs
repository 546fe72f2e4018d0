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
    private const string MarkerMemberId = "ZQMEMBER40417";

    [Fact]
    public async Task Every_API_endpoint_not_declared_public_answers_401_to_anonymous_callers()
    {
        var routes = (await ApiSurface.DiscoverAsync(Host)).Where(r => !r.IsPage && !r.AllowsAnonymous).ToList();
        routes.ShouldNotBeEmpty();

        var failures = new List<string>();
        foreach (var route in routes)
        {
            var url = route.Fill(p => ApiSurface.ValueFor(p, _ => Guid.NewGuid().ToString()));
            var result = await Send(route, url, actor: null);
            if (result.Context.Response.StatusCode != 401) failures.Add($"{route} -> {result.Context.Response.StatusCode}");
        }
        Console.WriteLine($"authorization matrix: {routes.Count} non-public API endpoints called anonymously " +
                          $"({routes.Count(r => r.IsUpload)} uploads)");
        failures.ShouldBeEmpty();
    }

    [Fact]
    public async Task Portal_console_and_support_pages_are_never_public_and_send_anonymous_visitors_to_sign_in()
    {
        var pages = (await ApiSurface.DiscoverAsync(Host))
            .Where(r => r.IsPage && (r.Pattern.StartsWith("/console") || r.Pattern.StartsWith("/support") || r.Pattern.StartsWith("/portal")))
            .ToList();
        pages.ShouldNotBeEmpty();
        pages.ShouldContain(p => p.Pattern.StartsWith("/portal"));

        var failures = new List<string>();
        foreach (var page in pages)
        {
            if (page.AllowsAnonymous) failures.Add($"{page} is declared public");
            var result = await Send(page, page.Fill(p => ApiSurface.ValueFor(p, _ => Guid.NewGuid().ToString())), actor: null);
            var location = result.Context.Response.Headers.Location.ToString();
            // A form post without its antiforgery token is refused before authorization: also nothing for the caller.
            var refusedPost = page.Method != "GET" && result.Context.Response.StatusCode == 400;
            if (!refusedPost && (result.Context.Response.StatusCode != 302 || !location.Contains("/signin")))
                failures.Add($"{page} -> {result.Context.Response.StatusCode} {location}");
        }
        Console.WriteLine($"authorization matrix: {pages.Count} portal/console/support page routes (all methods) called anonymously");
        failures.ShouldBeEmpty();
    }

    [Fact]
    public async Task Another_practice_s_provider_and_another_client_get_401_403_or_404_and_never_data()
    {
        var providerA = await Host.NewProviderAsync();
        var clientA = await Host.NewClientWithAccountAsync(providerA, MarkerFirstName, MarkerLastName);
        var clientA2 = await Host.NewClientWithAccountAsync(providerA);
        var providerB = await Host.NewProviderAsync();
        var clientB = await Host.NewClientWithAccountAsync(providerB);
        // Health and payment data of client A that must never reach anyone else.
        await Host.Scenario(s =>
        {
            s.As(clientA);
            s.Put.Json(new { expectedVersion = 0, payerId = "aetna", planName = "Open Access", memberId = MarkerMemberId, groupNumber = "0098765",
                subscriber = new { isClient = true } }).ToUrl("/api/insurance/plans/primary");
            s.StatusCodeShouldBeOk();
        });
        // Non-vacuity: A's own provider does see the markers where the matrix looks.
        var own = await Send(new Route("GET", $"/api/console/clients/{clientA.ClientId}/insurance", false, false, null, null),
            $"/api/console/clients/{clientA.ClientId}/insurance", providerA);
        (await own.ReadAsTextAsync()).ShouldContain(MarkerMemberId);

        string IdsOfA(string parameter) => parameter switch
        {
            "clientId" => clientA.ClientId.ToString(),
            "providerId" => providerA.ProviderId.ToString(),
            "practiceId" => providerA.PracticeId.ToString(),
            _ => Guid.NewGuid().ToString(),
        };

        var routes = (await ApiSurface.DiscoverAsync(Host)).Where(r => !r.AllowsAnonymous).ToList();
        var failures = new List<string>();
        var calls = 0;
        var strangers = new (string, ISignedIn)[] { ("provider B", providerB), ("client B", clientB), ("client A2", clientA2) };
        foreach (var route in routes)
        {
            var url = route.Fill(p => ApiSurface.ValueFor(p, IdsOfA));
            foreach (var (who, actor) in strangers)
            {
                var result = await Send(route, url, actor);
                calls++;
                var status = result.Context.Response.StatusCode;
                var body = await result.ReadAsTextAsync();

                if (body.Contains(MarkerLastName) || body.Contains(MarkerMemberId) || body.Contains(clientA.Email)
                    || (who != "client A2" && body.Contains(providerA.Email)))
                    failures.Add($"{route} as {who}: response holds client A's data");

                var namesARecord = route.Parameters.Any(p => p == "id" || p.EndsWith("Id", StringComparison.Ordinal));
                var refused = status is 401 or 403 or 404 || (route.IsPage && status == 302)
                              // a write may fail validation before the record is looked up; that reveals nothing
                              || (route.Method != "GET" && status is 400 or 405 or 409 or 415);
                if (namesARecord && !refused && !(route.IsPage && status == 200 && !body.Contains(MarkerLastName)))
                    failures.Add($"{route} as {who} -> {status}");
            }
        }
        Console.WriteLine($"authorization matrix: {routes.Count} non-public routes " +
                          $"({routes.Count(r => r.IsPage)} pages, {routes.Count(r => !r.IsPage)} API) " +
                          $"x {strangers.Length} strangers " +
                          $"(another practice's provider, another practice's client, another client of the same provider) = {calls} calls");
        failures.ShouldBeEmpty();
    }

    private Task<IScenarioResult> Send(Route route, string url, ISignedIn? actor) => Host.Scenario(s =>
    {
        if (actor is not null) s.As(actor);
        s.WithRequestHeader("Accept", url.StartsWith("/api/") ? "application/json" : "text/html");
        if (route.IsUpload)
        {
            // A well-formed upload (a real PNG), so the answer is about who asks, not about the content.
            var form = new MultipartFormDataContent();
            var file = new ByteArrayContent(Insurance.CardPictures.Png);
            file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("image/png");
            form.Add(file, "file", "card.png");
            form.Add(new StringContent("1"), "expectedVersion");
            s.Post.MultipartFormData(form).ToUrl(url);
            s.IgnoreStatusCode();
            return;
        }
        switch (route.Method)
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
