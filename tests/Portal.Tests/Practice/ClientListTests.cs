using Alba;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Practice;

public sealed class ClientListTests(PortalFixture fixture) : PortalTest(fixture)
{
    [Fact]
    public async Task The_provider_reads_their_clients_one_page_at_a_time_in_name_order()
    {
        var provider = await Host.NewProviderAsync();
        foreach (var (first, last) in new[] { ("Casey", "Young"), ("Avery", "Adams"), ("Jordan", "Moore"), ("Blake", "Adams"), ("Riley", "Hill") })
            await Host.AddClientAsync(provider, first, last);

        var page1 = await ListAsync(provider, "/api/console/clients?page=1&pageSize=2");
        var page2 = await ListAsync(provider, "/api/console/clients?page=2&pageSize=2");
        var page3 = await ListAsync(provider, "/api/console/clients?page=3&pageSize=2");

        page1.Select(c => $"{c.FirstName} {c.LastName}").ShouldBe(["Avery Adams", "Blake Adams"]);
        page2.Select(c => $"{c.FirstName} {c.LastName}").ShouldBe(["Riley Hill", "Jordan Moore"]);
        page3.Select(c => $"{c.FirstName} {c.LastName}").ShouldBe(["Casey Young"]);
    }

    [Fact]
    public async Task A_search_finds_clients_by_the_start_of_their_name_whatever_the_case()
    {
        var provider = await Host.NewProviderAsync();
        var other = await Host.NewProviderAsync(support: provider.Support);
        await Host.AddClientAsync(provider, "Avery", "Garcia");
        await Host.AddClientAsync(provider, "Garland", "Moore");
        await Host.AddClientAsync(provider, "Jordan", "Stone");
        await Host.AddClientAsync(other, "Gary", "Garcia");

        var found = await ListAsync(provider, "/api/console/clients?search=GAR");

        found.Select(c => $"{c.FirstName} {c.LastName}").ShouldBe(["Avery Garcia", "Garland Moore"]);
    }

    [Fact]
    public async Task A_page_size_beyond_the_limit_is_cut_to_the_limit_not_refused()
    {
        var provider = await Host.NewProviderAsync();
        await Host.AddClientAsync(provider, "Avery", "Adams");

        var list = await ListAsync(provider, "/api/console/clients?page=0&pageSize=100000");

        list.Count.ShouldBe(1);
    }

    private async Task<IReadOnlyList<Listed>> ListAsync(ProviderActor provider, string url)
    {
        var result = await Host.Scenario(s =>
        {
            s.As(provider);
            s.Get.Url(url);
            s.StatusCodeShouldBeOk();
        });
        return (await result.ReadAsJsonAsync<List<Listed>>())!;
    }

    private sealed record Listed(Guid ClientId, string FirstName, string LastName);
}
