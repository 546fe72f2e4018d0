using System.Net;
using Alba;
using Marten;
using Portal.Contracts;
using Portal.Sample.Notes;
using Portal.Sample.Roster;
using Wolverine.Tracking;

namespace Portal.Tests.Sample;

public sealed class NotesTests(PortalFixture fixture) : PortalTest(fixture)
{
    [Fact]
    public async Task A_provider_adds_a_note_gets_201_and_the_published_message_counts_it_on_the_client()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.AddClientAsync(provider);

        var (tracked, _) = await PostNote(provider, client.ClientId, "Prefers morning sessions", 201);

        var added = Published<SampleNoteAdded>(tracked).ShouldHaveSingleItem();
        added.ClientId.ShouldBe(client.ClientId);
        added.ProviderId.ShouldBe(provider.ProviderId);
        var notes = await Host.GetAsJson<NoteView[]>($"/api/sample/clients/{client.ClientId}/notes", provider);
        notes.ShouldHaveSingleItem().Text.ShouldBe("Prefers morning sessions");
        (await CopyOf(client.ClientId)).NotesCount.ShouldBe(1);
    }

    [Fact]
    public async Task An_empty_note_gets_400_naming_the_field_and_stores_nothing()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.AddClientAsync(provider);

        var (tracked, result) = await PostNote(provider, client.ClientId, "", 400);

        (await result.ReadAsTextAsync()).ShouldContain("\"text\"");
        Published<SampleNoteAdded>(tracked).ShouldBeEmpty();
        await using var session = OpenSession();
        (await session.Query<SampleNote>().CountAsync()).ShouldBe(0);
    }

    [Fact]
    public async Task Another_practice_s_provider_gets_404()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.AddClientAsync(provider);
        var stranger = await Host.NewProviderAsync();

        await PostNote(stranger, client.ClientId, "Not mine", 404);
        await Host.Scenario(s =>
        {
            s.As(stranger);
            s.Get.Url($"/api/sample/clients/{client.ClientId}/notes");
            s.StatusCodeShouldBe(404);
        });
    }

    [Fact]
    public async Task The_page_shows_a_refused_note_s_message_then_adds_a_valid_one_through_the_same_slice()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.AddClientAsync(provider);
        var page = $"/console/sample/clients/{client.ClientId}/notes";

        var opened = await Host.OpenPageAsync(provider, page);
        var refused = await Host.Scenario(s => s.PostForm(provider, opened, page, "", new() { ["Text"] = "" }));
        refused.Context.Response.StatusCode.ShouldBe(200);
        (await refused.ReadAsTextAsync()).ShouldContain("Write the note.");

        var (tracked, added) = await TrackedScenario(s => s.PostForm(provider, opened, page, "", new() { ["Text"] = "Call back on Friday" }));
        added.Context.Response.StatusCode.ShouldBe(302);
        Published<SampleNoteAdded>(tracked).ShouldHaveSingleItem();
        WebUtility.HtmlDecode(await Host.GetAsText(page, provider)).ShouldContain("Call back on Friday");
    }

    [Fact]
    public async Task The_roster_copy_follows_the_roster_and_ignores_an_older_version()
    {
        var clientId = Guid.NewGuid();
        var providerId = Guid.NewGuid();
        var current = new ClientRosterChanged(clientId, providerId, Guid.NewGuid(), "Lakeside Counseling", "Jane", "Doe",
            "jane.doe@example.com", new DateOnly(1990, 4, 2), Eligible: true, HasActiveAccount: false, Version: 2);

        await Publish(current);
        await Publish(current with { FirstName = "Janet", Version = 1 });

        var copy = await CopyOf(clientId);
        copy.FirstName.ShouldBe("Jane");
        copy.ProviderId.ShouldBe(providerId);
    }

    private Task<(ITrackedSession Tracked, IScenarioResult Result)> PostNote(ProviderActor provider, Guid clientId, string text, int status) =>
        TrackedScenario(s =>
        {
            s.As(provider);
            s.Post.Json(new AddNote(text)).ToUrl($"/api/sample/clients/{clientId}/notes");
            s.StatusCodeShouldBe(status);
        });

    private async Task<SampleClient> CopyOf(Guid clientId)
    {
        await using var session = OpenSession();
        return (await session.LoadAsync<SampleClient>(clientId)).ShouldNotBeNull();
    }
}
