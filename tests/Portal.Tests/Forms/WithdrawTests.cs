using Marten;
using Portal.BuildingBlocks.Auditing;
using Portal.Contracts;
using Portal.Intake.Definitions;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Forms;

/// <summary>
/// A practice withdraws a published document or intake form: the console shows it withdrawn, intake workflows may no
/// longer ask for it, what clients signed stays, and publishing a new version offers it again.
/// </summary>
public sealed class WithdrawTests(PortalFixture fixture) : FormsTest(fixture)
{
    private sealed record Saved(Guid DocumentId, Guid FormId, int Revision)
    {
        public Guid Id => DocumentId == Guid.Empty ? FormId : DocumentId;
    }

    private sealed record Withdrawn(int Version, DateTimeOffset WithdrawnAt);

    private sealed record Summary(Guid DocumentId, Guid FormId, string Title, int? LatestVersion, DateTimeOffset? WithdrawnAt);

    private static readonly object FormSchema = new
    {
        sections = new object[]
        {
            new { key = "about", title = "About you", fields = new object[] { new { key = "name", label = "Name", type = "ShortText" } } }
        },
    };

    /// <summary>A document ("documents") or intake form ("forms") the provider created and published as version 1.</summary>
    private async Task<(Guid Id, int Revision)> PublishedAsync(ProviderActor provider, string kind)
    {
        var saved = kind == "documents"
            ? await Json<Saved>(provider, HttpMethod.Post, "/api/documents", new { title = "Consent to treatment", markdown = "I consent." }, 201)
            : await Json<Saved>(provider, HttpMethod.Post, "/api/forms", new { title = "New client intake", schema = FormSchema }, 201);
        // Tracked: intake's catalog has taken the publication in when this returns.
        await Tracked(provider, HttpMethod.Post, $"/api/{kind}/{saved.Id}/publish",
            new { revision = saved.Revision, requireExistingSignersToSignAgain = false }, 200);
        return (saved.Id, saved.Revision + 1);
    }

    /// <summary>What a provider's new workflow that asks for the item gets from intake: 201, or 400 when the catalog does not offer it.</summary>
    private async Task<int> NewWorkflowAskingFor(ProviderActor provider, string kind, Guid id)
    {
        var task = new TaskSpec("item", kind == "documents" ? TaskKind.SignDocument : TaskKind.CompleteIntakeForm, id.ToString());
        var result = await Host.Scenario(s =>
        {
            s.As(provider);
            s.Post.Json(new WorkflowContent("Onboarding", [new StageSpec("One", [task])])).ToUrl("/api/workflows");
            s.IgnoreStatusCode();
        });
        return result.Context.Response.StatusCode;
    }

    [Theory]
    [InlineData("documents")]
    [InlineData("forms")]
    public async Task A_withdrawn_item_shows_withdrawn_and_intake_no_longer_offers_it_until_it_is_published_again(string kind)
    {
        var provider = await Host.NewProviderAsync();
        var (id, revision) = await PublishedAsync(provider, kind);
        (await NewWorkflowAskingFor(provider, kind, id)).ShouldBe(201);

        var (tracked, result) = await Tracked(provider, HttpMethod.Post, $"/api/{kind}/{id}/withdraw", null, 200);
        var withdrawn = (await result.ReadAsJsonAsync<Withdrawn>())!;
        withdrawn.Version.ShouldBe(1);
        withdrawn.WithdrawnAt.ShouldBe(Clock.GetUtcNow(), TimeSpan.FromSeconds(5));
        var message = Published<CatalogItemWithdrawn>(tracked).ShouldHaveSingleItem();
        message.ItemId.ShouldBe(id);
        message.PracticeId.ShouldBe(provider.PracticeId);

        var listed = (await Json<Summary[]>(provider, HttpMethod.Get, $"/api/{kind}", null, 200)).ShouldHaveSingleItem();
        listed.WithdrawnAt.ShouldNotBeNull();
        var page = await (await Send(provider, HttpMethod.Get, $"/console/{kind}", null, 200)).ReadAsTextAsync();
        page.ShouldContain("Withdrawn");
        await using (var session = OpenSession())
        {
            var audit = await session.Query<AuditEntry>().Where(a => a.Action.EndsWith(".withdraw")).ToListAsync();
            audit.ShouldHaveSingleItem().RecordId.ShouldBe(id.ToString());
        }

        (await NewWorkflowAskingFor(provider, kind, id)).ShouldBe(400);

        // Published again, as it is: offered again.
        await Tracked(provider, HttpMethod.Post, $"/api/{kind}/{id}/publish", new { revision, requireExistingSignersToSignAgain = false }, 200);
        (await Json<Summary[]>(provider, HttpMethod.Get, $"/api/{kind}", null, 200)).ShouldHaveSingleItem().WithdrawnAt.ShouldBeNull();
        (await NewWorkflowAskingFor(provider, kind, id)).ShouldBe(201);
    }

    [Theory]
    [InlineData("documents")]
    [InlineData("forms")]
    public async Task Another_practice_gets_404_withdrawing_twice_or_an_unpublished_item_gets_409(string kind)
    {
        var provider = await Host.NewProviderAsync();
        var (id, _) = await PublishedAsync(provider, kind);

        await Send(await Host.NewProviderAsync(), HttpMethod.Post, $"/api/{kind}/{id}/withdraw", null, 404);
        await Send(provider, HttpMethod.Post, $"/api/{kind}/{Guid.NewGuid()}/withdraw", null, 404);
        await Send(provider, HttpMethod.Post, $"/api/{kind}/{id}/withdraw", null, 200);
        await Send(provider, HttpMethod.Post, $"/api/{kind}/{id}/withdraw", null, 409);

        var draft = kind == "documents"
            ? await Json<Saved>(provider, HttpMethod.Post, "/api/documents", new { title = "Fees", markdown = "Our fees." }, 201)
            : await Json<Saved>(provider, HttpMethod.Post, "/api/forms", new { title = "History", schema = FormSchema }, 201);
        await Send(provider, HttpMethod.Post, $"/api/{kind}/{draft.Id}/withdraw", null, 409);
    }

    [Fact]
    public async Task A_withdrawn_document_leaves_the_clients_list_but_can_still_be_signed_for_a_task_and_its_signed_copy_stays()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider);
        var (id, _) = await PublishedAsync(provider, "documents");
        var first = await Json<Shown>(client, HttpMethod.Get, $"/api/portal/documents/{id}", null, 200);
        await Send(provider, HttpMethod.Post, $"/api/documents/{id}/withdraw", null, 200);

        (await Json<Shown[]>(client, HttpMethod.Get, "/api/portal/documents", null, 200)).ShouldBeEmpty();

        var shown = await Json<Shown>(client, HttpMethod.Get, $"/api/portal/documents/{id}", null, 200);
        shown.ContentHash.ShouldBe(first.ContentHash);
        var signed = await Json<Signed>(client, HttpMethod.Post, $"/api/portal/documents/{id}/signatures",
            new { version = shown.Version, contentHash = shown.ContentHash, fullName = "Casey Client", agreeToSignElectronically = true }, 201);
        (await Json<Shown[]>(client, HttpMethod.Get, "/api/portal/documents", null, 200)).ShouldHaveSingleItem().DocumentId.ShouldBe(id);
        await Send(client, HttpMethod.Get, $"/api/portal/signatures/{signed.SignatureId}", null, 200);
        await Send(provider, HttpMethod.Get, $"/api/signatures/{signed.SignatureId}", null, 200);
    }

    [Fact]
    public async Task The_console_withdraws_a_document_after_a_confirmation_and_says_so()
    {
        var provider = await Host.NewProviderAsync();
        var (id, _) = await PublishedAsync(provider, "documents");
        var page = $"/console/documents/{id}";
        var opened = await Open(provider, page);
        opened.Html.ShouldContain("data-confirm=\"Withdraw this document?");

        var (_, result) = await TrackedScenario(s => PostForm(s, provider, page, "Withdraw", [], opened));
        result.Context.Response.StatusCode.ShouldBe(200);
        var html = await result.ReadAsTextAsync();
        html.ShouldContain("Withdrawn: new intake tasks can no longer ask for this document.");
        html.ShouldContain("Publish a new version to offer it again.");
        (await NewWorkflowAskingFor(provider, "documents", id)).ShouldBe(400);
    }

    private sealed record Shown(Guid DocumentId, int Version, string ContentHash);

    private sealed record Signed(Guid SignatureId);
}
