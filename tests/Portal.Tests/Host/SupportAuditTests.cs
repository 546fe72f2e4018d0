using System.Text.Json;
using Alba;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Host;

/// <summary>Support reads the audit log at /api/support/audit and /support/audit, filtered and paged; nobody else can.</summary>
public sealed class SupportAuditTests(PortalFixture fixture) : PortalTest(fixture)
{
    private sealed record Line(Guid Id, DateTimeOffset At, string Action, string? Outcome, string RecordType, string? RecordId,
        Guid? ClientId, string ActorRole, Guid? ActorId, string? IpAddress, string? UserAgent);

    private sealed record LogPage(List<Line> Entries, int Page, int PageSize, long Total, int PageCount);

    [Fact]
    public async Task Support_filters_the_log_by_client_user_action_and_dates_and_pages_through_it()
    {
        var providerA = await Host.NewProviderAsync();
        var clientA = await Host.NewClientWithAccountAsync(providerA);
        var clientB = await Host.NewClientWithAccountAsync(await Host.NewProviderAsync());
        var firstDay = Clock.GetUtcNow();

        Clock.Advance(TimeSpan.FromDays(3));
        var laterDay = Clock.GetUtcNow();
        // Sessions last 12 hours at most: both sign in again on the later day.
        clientA = await Host.SignInAgainAsync(clientA);
        var support = providerA.Support with { Cookie = (await Host.SignInAsync(providerA.Support.Email, providerA.Support.Password)).Cookie };
        for (var i = 0; i < 3; i++)
        {
            await Host.Scenario(s =>
            {
                s.As(clientA);
                s.Get.Url("/api/insurance");
                s.StatusCodeShouldBeOk();
            });
        }

        var ofA = await LogAsync(support, $"clientId={clientA.ClientId}&pageSize=200");
        ofA.Entries.ShouldNotBeEmpty();
        ofA.Entries.ShouldAllBe(e => e.ClientId == clientA.ClientId);
        ofA.Entries.ShouldContain(e => e.Action == "insurance.read");
        ofA.Entries.Select(e => e.At).ShouldBeInOrder(SortDirection.Descending);
        ofA.Entries.ShouldNotContain(e => e.ClientId == clientB.ClientId);

        var reads = await LogAsync(support, $"clientId={clientA.ClientId}&action=insurance.read");
        reads.Total.ShouldBe(3);
        reads.Entries.ShouldAllBe(e => e.Action == "insurance.read" && e.ActorRole == "client");
        var clientUser = reads.Entries[0].ActorId!.Value;

        var byPrefix = await LogAsync(support, $"clientId={clientA.ClientId}&action=account.");
        byPrefix.Entries.ShouldNotBeEmpty();
        byPrefix.Entries.ShouldAllBe(e => e.Action.StartsWith("account."));

        var byUser = await LogAsync(support, $"userId={clientUser}&pageSize=200");
        byUser.Entries.ShouldAllBe(e => e.ActorId == clientUser);
        byUser.Entries.Count(e => e.Action == "insurance.read").ShouldBe(3);

        var onlyFirstDay = await LogAsync(support, $"clientId={clientA.ClientId}&to={firstDay:yyyy-MM-dd}&pageSize=200");
        onlyFirstDay.Entries.ShouldNotBeEmpty();
        onlyFirstDay.Entries.ShouldAllBe(e => e.At < laterDay);
        onlyFirstDay.Entries.ShouldNotContain(e => e.Action == "insurance.read");
        var fromLaterDay = await LogAsync(support, $"clientId={clientA.ClientId}&from={laterDay:yyyy-MM-dd}&pageSize=200");
        fromLaterDay.Entries.ShouldAllBe(e => e.At >= laterDay);
        fromLaterDay.Entries.Count(e => e.Action == "insurance.read").ShouldBe(3);
        (onlyFirstDay.Total + fromLaterDay.Total).ShouldBe(ofA.Total);

        var pageOne = await LogAsync(support, $"clientId={clientA.ClientId}&pageSize=2&page=1");
        var pageTwo = await LogAsync(support, $"clientId={clientA.ClientId}&pageSize=2&page=2");
        pageOne.Entries.Count.ShouldBe(2);
        pageOne.Total.ShouldBe(ofA.Total);
        pageOne.PageCount.ShouldBe((int)Math.Ceiling(ofA.Total / 2.0));
        pageTwo.Entries.Select(e => e.Id).ShouldBe(ofA.Entries.Skip(2).Take(2).Select(e => e.Id));
        pageOne.Entries.Select(e => e.Id).ShouldBe(ofA.Entries.Take(2).Select(e => e.Id));

        foreach (var bad in new[] { "from=yesterday", "page=0", "pageSize=5000", "clientId=not-a-guid" })
        {
            await Host.Scenario(s =>
            {
                s.As(support);
                s.Get.Url($"/api/support/audit?{bad}");
                s.StatusCodeShouldBe(400);
            });
        }
    }

    [Fact]
    public async Task The_support_page_shows_the_filtered_log_and_only_support_staff_may_read_it()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider);
        await Host.Scenario(s =>
        {
            s.As(client);
            s.Get.Url("/api/insurance");
            s.StatusCodeShouldBeOk();
        });

        var page = await Host.Scenario(s =>
        {
            s.As(provider.Support);
            s.Get.Url($"/support/audit?clientId={client.ClientId}&action=insurance.");
            s.StatusCodeShouldBeOk();
        });
        var html = await page.ReadAsTextAsync();
        html.ShouldContain("<h1>Audit log</h1>");
        html.ShouldContain("insurance.read");
        html.ShouldContain(client.ClientId.ToString());
        html.ShouldNotContain("account.sign-in");
        (await Host.Scenario(s =>
        {
            s.As(provider.Support);
            s.Get.Url("/support/audit?from=not-a-date");
            s.StatusCodeShouldBeOk();
        }).ContinueWith(t => t.Result.ReadAsTextAsync()).Unwrap()).ShouldContain("could not be used");

        foreach (var (who, actor) in new (string, ISignedIn?)[] { ("client", client), ("provider", provider), ("anonymous", null) })
        {
            var api = await Host.Scenario(s =>
            {
                if (actor is not null) s.As(actor);
                s.Get.Url($"/api/support/audit?clientId={client.ClientId}");
                s.IgnoreStatusCode();
            });
            api.Context.Response.StatusCode.ShouldBe(actor is null ? 401 : 403, who);
            (await api.ReadAsTextAsync()).ShouldNotContain("insurance.read");

            var html2 = await Host.Scenario(s =>
            {
                if (actor is not null) s.As(actor);
                s.Get.Url($"/support/audit?clientId={client.ClientId}");
                s.IgnoreStatusCode();
            });
            html2.Context.Response.StatusCode.ShouldBe(302, who);
            html2.Context.Response.Headers.Location.ToString().ShouldContain(actor is null ? "/signin" : "/forbidden");
        }
    }

    private async Task<LogPage> LogAsync(ISignedIn support, string query)
    {
        var result = await Host.Scenario(s =>
        {
            s.As(support);
            s.Get.Url($"/api/support/audit?{query}");
            s.StatusCodeShouldBeOk();
        });
        return (await result.ReadAsJsonAsync<LogPage>())!;
    }
}
