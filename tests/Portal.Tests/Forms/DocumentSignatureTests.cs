using Marten;
using Marten.Exceptions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Portal.Contracts;
using Portal.Forms.Documents;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Forms;

public sealed class DocumentSignatureTests(PortalFixture fixture) : FormsTest(fixture)
{
    private sealed record Saved(Guid DocumentId, int Revision);
    private sealed record Published(Guid DocumentId, int Version, string ContentHash, bool RequireResign);
    private sealed record Shown(Guid DocumentId, int Version, int LatestVersion, string Title, string Html, string ContentHash, string ConsentText,
        Guid? SignatureId, bool NeedsSignature);
    private sealed record Signed(Guid SignatureId, Guid DocumentId, int Version, string ContentHash);
    private sealed record Summary(Guid DocumentId, string Title, int LatestVersion, int? SignedVersion, Guid? SignatureId, bool NeedsSignature);

    private async Task<(ProviderActor Provider, ClientActor Client, Guid DocumentId)> PublishedPolicy()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider);
        var saved = await Json<Saved>(provider, HttpMethod.Post, "/api/documents",
            new
            {
                title = "Privacy policy",
                markdown = "We keep **your** records private.\n\n<script>alert('x')</script>\n\n[more](javascript:alert(1))"
            }, 201);
        var (tracked, _) = await Tracked(provider, HttpMethod.Post, $"/api/documents/{saved.DocumentId}/publish",
            new { revision = saved.Revision, requireExistingSignersToSignAgain = false }, 200);
        var catalog = Published<DocumentPublished>(tracked).ShouldHaveSingleItem();
        catalog.DocumentId.ShouldBe(saved.DocumentId);
        catalog.PracticeId.ShouldBe(provider.PracticeId);
        catalog.Version.ShouldBe(1);
        return (provider, client, saved.DocumentId);
    }

    [Fact]
    public async Task A_signature_record_holds_the_hash_of_exactly_the_version_shown_with_name_time_ip_agent_and_consent()
    {
        var (_, client, documentId) = await PublishedPolicy();
        var shown = await Json<Shown>(client, HttpMethod.Get, $"/api/portal/documents/{documentId}", null, 200);
        shown.Html.ShouldContain("<strong>your</strong>");
        shown.Html.ShouldNotContain("<script");
        shown.Html.ShouldNotContain("javascript:");
        Sha256(shown.Html).ShouldBe(shown.ContentHash);

        var (tracked, result) = await Tracked(client, HttpMethod.Post, $"/api/portal/documents/{documentId}/signatures",
            new { version = shown.Version, contentHash = shown.ContentHash, fullName = "Casey Client", agreeToSignElectronically = true }, 201);
        var signed = (await result.ReadAsJsonAsync<Signed>())!;

        await using var session = OpenSession();
        var record = (await session.Events.QueryRawEventDataOnly<DocumentSigned>().ToListAsync()).ShouldHaveSingleItem();
        record.SignatureId.ShouldBe(signed.SignatureId);
        record.DocumentId.ShouldBe(documentId);
        record.DocumentVersion.ShouldBe(1);
        record.ContentHash.ShouldBe(Sha256(shown.Html));
        record.SignedName.ShouldBe("Casey Client");
        record.ClientId.ShouldBe(client.ClientId);
        record.SignedAt.ShouldBe(Clock.GetUtcNow(), TimeSpan.FromSeconds(5));
        record.IpAddress.ShouldBe("203.0.113.7");
        record.UserAgent.ShouldBe("FormsTests/1.0");
        record.ConsentText.ShouldBe(shown.ConsentText);
        record.ConsentText.ShouldContain("paper copy");
        record.ConsentText.ShouldContain("withdraw");

        var message = Published<ConsentFormSigned>(tracked).ShouldHaveSingleItem();
        message.ClientId.ShouldBe(client.ClientId);
        message.DocumentId.ShouldBe(documentId);
        message.DocumentVersion.ShouldBe(1);
        message.Actor.Kind.ShouldBe(ActorKind.Client);
    }

    [Fact]
    public async Task Signing_with_the_hash_of_something_else_is_refused_and_nothing_is_recorded()
    {
        var (_, client, documentId) = await PublishedPolicy();
        await Send(client, HttpMethod.Post, $"/api/portal/documents/{documentId}/signatures",
            new { version = 1, contentHash = Sha256("<h1>Another text</h1>"), fullName = "Casey Client", agreeToSignElectronically = true }, 409);
        var shown = await Json<Shown>(client, HttpMethod.Get, $"/api/portal/documents/{documentId}", null, 200);
        await Send(client, HttpMethod.Post, $"/api/portal/documents/{documentId}/signatures",
            new { version = 1, contentHash = shown.ContentHash, fullName = "Casey Client", agreeToSignElectronically = false }, 400);

        await using var session = OpenSession();
        (await session.Events.QueryRawEventDataOnly<DocumentSigned>().CountAsync()).ShouldBe(0);
    }

    [Fact]
    public async Task A_signature_cannot_be_altered_by_a_new_version_a_second_signing_or_a_rewrite_of_its_stream()
    {
        var (provider, client, documentId) = await PublishedPolicy();
        var shown = await Json<Shown>(client, HttpMethod.Get, $"/api/portal/documents/{documentId}", null, 200);
        var signed = await Json<Signed>(client, HttpMethod.Post, $"/api/portal/documents/{documentId}/signatures",
            new { version = 1, contentHash = shown.ContentHash, fullName = "Casey Client", agreeToSignElectronically = true }, 201);
        await Send(client, HttpMethod.Post, $"/api/portal/documents/{documentId}/signatures",
            new { version = 1, contentHash = shown.ContentHash, fullName = "Someone Else", agreeToSignElectronically = true }, 409);

        // The provider edits and publishes version 2, asking existing signers to sign again.
        var saved = await Json<Saved>(provider, HttpMethod.Put, $"/api/documents/{documentId}",
            new { title = "Privacy policy", markdown = "We keep your records private, and now also your messages.", revision = 2 }, 200);
        var v2 = await Json<Published>(provider, HttpMethod.Post, $"/api/documents/{documentId}/publish",
            new { revision = saved.Revision, requireExistingSignersToSignAgain = true }, 200);
        v2.Version.ShouldBe(2);
        v2.ContentHash.ShouldNotBe(shown.ContentHash);
        var list = await Json<List<Summary>>(client, HttpMethod.Get, "/api/portal/documents", null, 200);
        list.ShouldHaveSingleItem().ShouldSatisfyAllConditions(s => s.SignedVersion.ShouldBe(1), s => s.NeedsSignature.ShouldBeTrue());

        // A second record under the same id is refused by the event store itself.
        await using (var session = OpenSession())
        {
            var original = (await session.Events.QueryRawEventDataOnly<DocumentSigned>().ToListAsync()).ShouldHaveSingleItem();
            session.Events.StartStream(signed.SignatureId,
                original with { SignedName = "Forged", ContentHash = v2.ContentHash, DocumentVersion = 2 });
            await Should.ThrowAsync<ExistingStreamIdCollisionException>(() => session.SaveChangesAsync());
        }

        await using (var session = OpenSession())
        {
            var record = (await session.Events.QueryRawEventDataOnly<DocumentSigned>().ToListAsync()).ShouldHaveSingleItem();
            record.SignedName.ShouldBe("Casey Client");
            record.DocumentVersion.ShouldBe(1);
            record.ContentHash.ShouldBe(shown.ContentHash);
        }

        // The signed copy still shows, and verifies, exactly version 1.
        var copy = await Send(client, HttpMethod.Get, $"/portal/documents/signatures/{signed.SignatureId}", null, 200);
        var page = await copy.ReadAsTextAsync();
        page.ShouldContain("Casey Client");
        page.ShouldContain(shown.ContentHash);
        page.ShouldContain("matches the signed content");
    }

    [Fact]
    public void No_route_can_change_or_delete_a_signature()
    {
        var routes = Host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.Contains("signature", StringComparison.OrdinalIgnoreCase) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(m => $"{m} {e.RoutePattern.RawText}"))
            .ToList();
        routes.ShouldNotBeEmpty();
        routes.Where(r => !r.StartsWith("GET ", StringComparison.Ordinal))
            .ShouldBe(["POST /api/portal/documents/{documentId}/signatures"]);
    }

    [Fact]
    public async Task The_provider_opens_the_signed_copy_and_another_practice_gets_404()
    {
        var (provider, client, documentId) = await PublishedPolicy();
        var shown = await Json<Shown>(client, HttpMethod.Get, $"/api/portal/documents/{documentId}", null, 200);
        var signed = await Json<Signed>(client, HttpMethod.Post, $"/api/portal/documents/{documentId}/signatures",
            new { version = 1, contentHash = shown.ContentHash, fullName = "Casey Client", agreeToSignElectronically = true }, 201);

        var page = await (await Send(provider, HttpMethod.Get, $"/console/signatures/{signed.SignatureId}", null, 200)).ReadAsTextAsync();
        page.ShouldContain("Casey Client");
        page.ShouldContain("203.0.113.7");
        page.ShouldContain("<strong>your</strong>");

        var stranger = await Host.NewProviderAsync();
        await Send(stranger, HttpMethod.Get, $"/api/signatures/{signed.SignatureId}", null, 404);
        await Send(stranger, HttpMethod.Get, $"/api/clients/{client.ClientId}/signatures", null, 404);
        await Send(stranger, HttpMethod.Get, $"/api/documents/{documentId}", null, 404);
        var strangerClient = await Host.NewClientWithAccountAsync(stranger);
        await Send(strangerClient, HttpMethod.Get, $"/api/portal/documents/{documentId}", null, 404);
        await Send(strangerClient, HttpMethod.Get, $"/api/portal/signatures/{signed.SignatureId}", null, 404);
    }
}
