using Alba;
using Marten;
using Portal.Sample.Notes;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Sample;

public sealed class AddNoteTests(PortalFixture fixture) : PortalTest(fixture)
{
    [Fact]
    public async Task A_provider_adds_a_note_to_their_client_and_reads_it_back()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.AddClientAsync(provider);

        await Host.Scenario(s =>
        {
            s.As(provider);
            s.Post.Json(new AddNote("Prefers morning sessions")).ToUrl($"/api/sample/clients/{client.ClientId}/notes");
            s.StatusCodeShouldBe(201);
        });

        var notes = await Host.GetAsJson<NoteView[]>($"/api/sample/clients/{client.ClientId}/notes", provider);
        notes.Single().Text.ShouldBe("Prefers morning sessions");
    }

    [Fact]
    public async Task An_empty_note_gets_400_naming_the_field_and_stores_nothing()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.AddClientAsync(provider);

        var result = await Host.Scenario(s =>
        {
            s.As(provider);
            s.Post.Json(new AddNote("")).ToUrl($"/api/sample/clients/{client.ClientId}/notes");
            s.StatusCodeShouldBe(400);
        });
        (await result.ReadAsTextAsync()).ShouldContain("\"text\"");

        await using var session = OpenSession();
        (await session.Query<SampleNote>().CountAsync()).ShouldBe(0);
    }

    [Fact]
    public async Task Another_practice_s_provider_gets_404()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.AddClientAsync(provider);
        var stranger = await Host.NewProviderAsync();

        await Host.Scenario(s =>
        {
            s.As(stranger);
            s.Get.Url($"/api/sample/clients/{client.ClientId}/notes");
            s.StatusCodeShouldBe(404);
        });
    }
}

internal static class SampleScenarioExtensions
{
    public static async Task<T> GetAsJson<T>(this IAlbaHost host, string url, ISignedIn actor)
    {
        var result = await host.Scenario(s =>
        {
            s.As(actor);
            s.Get.Url(url);
            s.StatusCodeShouldBeOk();
        });
        return (await result.ReadAsJsonAsync<T>())!;
    }
}
