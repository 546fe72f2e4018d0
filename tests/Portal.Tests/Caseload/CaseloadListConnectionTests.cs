using System.Diagnostics;
using Alba;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Portal.BuildingBlocks.Data;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Caseload;

/// <summary>
/// The client list and its page read through a few connections of their own (<see cref="ListQueryPool"/>): providers
/// paging at once wait their turn for one instead of each taking a database backend, and when none frees up within
/// the pool's timeout they are told the portal is busy (503, Retry-After), never shown a server error.
/// </summary>
public sealed class CaseloadListConnectionTests(PortalFixture fixture) : PortalTest(fixture)
{
    private ListQueryPool Lists => Host.Services.GetRequiredService<ListQueryPool>();

    [Fact]
    public async Task Lists_asked_for_while_every_list_connection_is_busy_wait_for_one_and_are_then_answered()
    {
        var provider = await Host.NewProviderAsync();
        await Host.AddClientAsync(provider, "Avery", "Adams");
        await Host.AddClientAsync(provider, "Blake", "Brown");
        var held = await HoldEveryListConnectionAsync();

        var requests = Enumerable.Range(0, Lists.Size * 2)
            .Select(_ => Host.GetAsJson<ListPage>("/api/console/caseload", provider))
            .ToList();
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        requests.ShouldAllBe(r => !r.IsCompleted);
        (await ListBackendsAsync()).ShouldBe(Lists.Size);

        foreach (var connection in held) await connection.DisposeAsync();
        var pages = await Task.WhenAll(requests);

        pages.ShouldAllBe(p => p.Clients.Select(c => c.LastName).SequenceEqual(new[] { "Adams", "Brown" }));
        (await ListBackendsAsync()).ShouldBeLessThanOrEqualTo(Lists.Size);
    }

    [Fact]
    public async Task A_list_that_gets_no_connection_within_the_pool_s_timeout_is_answered_503_with_Retry_After_as_JSON_text_or_a_page()
    {
        var provider = await Host.NewProviderAsync();
        await Host.AddClientAsync(provider, "Avery", "Adams");
        var held = await HoldEveryListConnectionAsync();
        try
        {
            var waited = Stopwatch.StartNew();
            var api = await AnsweredBusyAsync(provider, "/api/console/caseload");
            waited.Elapsed.ShouldBeGreaterThan(TimeSpan.FromSeconds(4));
            api.ContentType.ShouldBe("application/problem+json");
            api.Body.ShouldContain("The portal is busy.");

            (await AnsweredBusyAsync(provider, "/api/console/caseload", "text/plain")).Body.ShouldStartWith("The portal is busy.");
            (await AnsweredBusyAsync(provider, "/console/clients", "text/html")).Body.ShouldContain("The portal is busy");
        }
        finally
        {
            foreach (var connection in held) await connection.DisposeAsync();
        }

        (await Host.GetAsJson<ListPage>("/api/console/caseload", provider)).Clients.Single().LastName.ShouldBe("Adams");
    }

    /// <summary>A signed-in GET that must be answered 503 with Retry-After: 2.</summary>
    private async Task<(string? ContentType, string Body)> AnsweredBusyAsync(ProviderActor provider, string url, string? accept = null)
    {
        var result = await Host.Scenario(s =>
        {
            s.As(provider);
            s.Get.Url(url);
            if (accept is not null) s.WithRequestHeader("Accept", accept);
            s.StatusCodeShouldBe(503);
        });
        result.Context.Response.Headers.RetryAfter.ToString().ShouldBe("2");
        return (result.Context.Response.ContentType, await result.ReadAsTextAsync());
    }

    private async Task<List<NpgsqlConnection>> HoldEveryListConnectionAsync()
    {
        var held = new List<NpgsqlConnection>();
        for (var i = 0; i < Lists.Size; i++) held.Add(await Lists.OpenAsync(CancellationToken.None));
        return held;
    }

    private static async Task<long> ListBackendsAsync()
    {
        await using var connection = new NpgsqlConnection(TestDatabase.ConnectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand(
            "select count(*) from pg_stat_activity where application_name = 'portal-lists' and datname = current_database()", connection);
        return (long)(await count.ExecuteScalarAsync())!;
    }

    private sealed record ListPage(List<Row> Clients);

    private sealed record Row(string LastName);
}
