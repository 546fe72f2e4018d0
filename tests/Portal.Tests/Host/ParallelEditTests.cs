using System.Text.Json;
using Alba;
using Portal.Tests.Infrastructure;
using Wolverine.Tracking;

namespace Portal.Tests.Host;

/// <summary>
/// For every record people edit with a version in hand: N parallel updates from the same version give exactly one
/// 2xx and N-1 409 problem details, and what is stored afterwards is the one accepted write (no lost update, no 500).
/// </summary>
public sealed class ParallelEditTests(PortalFixture fixture) : PortalTest(fixture)
{
    private const int Editors = 6;

    [Fact]
    public async Task Parallel_saves_of_one_insurance_plan_from_the_same_version_accept_one_and_refuse_the_rest_with_409()
    {
        var client = await Host.NewClientWithAccountAsync(await Host.NewProviderAsync());
        var version = (await GetJsonAsync(client, "/api/insurance")).GetProperty("version").GetInt64();

        var winner = await RaceAsync("insurance plan", i => s =>
        {
            s.As(client);
            s.Put.Json(new
            {
                expectedVersion = version, payerId = "aetna", planName = "Open Access", memberId = $"RACE{i:D4}XYZ", groupNumber = "0098765",
                subscriber = new { isClient = true },
            }).ToUrl("/api/insurance/plans/primary");
        });

        var stored = await GetJsonAsync(client, "/api/insurance");
        stored.GetProperty("primary").GetProperty("memberId").GetString().ShouldBe($"RACE{winner:D4}XYZ");
        stored.GetProperty("version").GetInt64().ShouldBe(version + 1);

        // Again on the existing stream: the client and their provider change the plan at once.
        version++;
        var second = await RaceAsync("insurance plan (existing)", i => s =>
        {
            s.As(i % 2 == 0 ? client : client.Provider);
            s.Put.Json(new
            {
                expectedVersion = version, payerId = "aetna", planName = "Open Access", memberId = $"AGAIN{i:D4}XYZ", groupNumber = "0098765",
                subscriber = new { isClient = true },
            }).ToUrl(i % 2 == 0 ? "/api/insurance/plans/primary" : $"/api/console/clients/{client.ClientId}/insurance/plans/primary");
        });
        stored = await GetJsonAsync(client, "/api/insurance");
        stored.GetProperty("primary").GetProperty("memberId").GetString().ShouldBe($"AGAIN{second:D4}XYZ");
        stored.GetProperty("version").GetInt64().ShouldBe(version + 1);
        stored.GetProperty("history").GetArrayLength().ShouldBe(2);
    }

    [Fact]
    public async Task Parallel_card_updates_from_the_same_autopay_version_accept_one_and_refuse_the_rest_with_409()
    {
        var client = await Host.NewClientWithAccountAsync(await Host.NewProviderAsync());
        var firstToken = await TokenAsync(client);
        await Host.TrackActivity().Timeout(TimeSpan.FromSeconds(30)).DoNotAssertOnExceptionsDetected().ExecuteAndWaitAsync(
            (Func<Wolverine.IMessageContext, Task>)(async _ => await Host.Scenario(s =>
            {
                s.As(client);
                s.Post.Json(new { cardToken = firstToken, cardholderName = "First Card", billingPostalCode = "97201",
                    consentVersion = "2026-11-01", agreedToAuthorization = true }).ToUrl("/api/autopay/enrolment");
                s.StatusCodeShouldBeOk();
            })));
        var version = (await GetJsonAsync(client, "/api/autopay")).GetProperty("autopay").GetProperty("version").GetInt64();
        var tokens = new List<string>();
        for (var i = 0; i < Editors; i++) tokens.Add(await TokenAsync(client));

        var winner = await RaceAsync("autopay card", i => s =>
        {
            s.As(client);
            s.Put.Json(new { cardToken = tokens[i], cardholderName = $"Racer {i}", billingPostalCode = "97201", consentVersion = "2026-11-01",
                agreedToAuthorization = true, version }).ToUrl("/api/autopay/card");
        });

        var stored = (await GetJsonAsync(client, "/api/autopay")).GetProperty("autopay");
        stored.GetProperty("card").GetProperty("cardholderName").GetString().ShouldBe($"Racer {winner}");
        stored.GetProperty("version").GetInt64().ShouldBe(version + 1);
    }

    [Fact]
    public async Task Parallel_saves_of_one_intake_form_draft_from_the_same_revision_accept_one_and_refuse_the_rest_with_409()
    {
        var provider = await Host.NewProviderAsync();
        var created = await SendJsonAsync(provider, HttpMethod.Post, "/api/forms", new { title = "Intake", schema = Schema("first") }, 201);
        var formId = created.GetProperty("formId").GetGuid();
        var revision = created.GetProperty("revision").GetInt32();

        var winner = await RaceAsync("intake form", i => s =>
        {
            s.As(provider);
            s.Put.Json(new { title = $"Intake by editor {i}", schema = Schema($"field{i}"), revision }).ToUrl($"/api/forms/{formId}");
        });

        var stored = await GetJsonAsync(provider, $"/api/forms/{formId}");
        stored.GetProperty("title").GetString().ShouldBe($"Intake by editor {winner}");
        stored.GetProperty("revision").GetInt32().ShouldBe(revision + 1);
        stored.GetProperty("schema").GetRawText().ShouldContain($"field{winner}");
    }

    [Fact]
    public async Task Parallel_saves_of_one_practice_document_from_the_same_revision_accept_one_and_refuse_the_rest_with_409()
    {
        var provider = await Host.NewProviderAsync();
        var created = await SendJsonAsync(provider, HttpMethod.Post, "/api/documents",
            new { title = "Consent", markdown = "# Consent\n\nFirst text." }, 201);
        var documentId = created.GetProperty("documentId").GetGuid();
        var revision = created.GetProperty("revision").GetInt32();

        var winner = await RaceAsync("practice document", i => s =>
        {
            s.As(provider);
            s.Put.Json(new { title = $"Consent by editor {i}", markdown = $"# Consent\n\nText of editor {i}.", revision })
                .ToUrl($"/api/documents/{documentId}");
        });

        var stored = await GetJsonAsync(provider, $"/api/documents/{documentId}");
        stored.GetProperty("title").GetString().ShouldBe($"Consent by editor {winner}");
        stored.GetProperty("markdown").GetString().ShouldBe($"# Consent\n\nText of editor {winner}.");
        stored.GetProperty("revision").GetInt32().ShouldBe(revision + 1);
    }

    [Fact]
    public async Task Parallel_edits_of_one_client_profile_from_the_same_roster_version_accept_one_and_refuse_the_rest_with_409()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.AddClientAsync(provider);
        var version = (await GetJsonAsync(provider, $"/api/console/clients/{client.ClientId}")).GetProperty("version").GetInt64();

        var winner = await RaceAsync("client profile", i => s =>
        {
            s.As(provider);
            s.Put.Json(new { firstName = $"Racer{i}", lastName = "Client", dateOfBirth = "1990-04-17", version })
                .ToUrl($"/api/console/clients/{client.ClientId}");
        });

        var stored = await GetJsonAsync(provider, $"/api/console/clients/{client.ClientId}");
        stored.GetProperty("firstName").GetString().ShouldBe($"Racer{winner}");
        stored.GetProperty("version").GetInt64().ShouldBe(version + 1);
    }

    [Fact]
    public async Task Parallel_saves_of_one_workflow_draft_from_the_same_revision_accept_one_and_refuse_the_rest_with_409()
    {
        var provider = await Host.NewProviderAsync();
        var created = await SendJsonAsync(provider, HttpMethod.Post, "/api/workflows", Workflow("Intake"), 201);
        var workflowId = created.GetProperty("id").GetGuid();
        var revision = (await GetJsonAsync(provider, $"/api/workflows/{workflowId}")).GetProperty("revision").GetInt32();

        var winner = await RaceAsync("workflow draft", i => s =>
        {
            s.As(provider);
            s.Put.Json(Workflow($"Intake {i}")).ToUrl($"/api/workflows/{workflowId}/draft")
                .QueryString("expectedRevision", revision.ToString(System.Globalization.CultureInfo.InvariantCulture));
        });

        var stored = await GetJsonAsync(provider, $"/api/workflows/{workflowId}");
        stored.GetProperty("name").GetString().ShouldBe($"Intake {winner}");
        stored.GetProperty("revision").GetInt32().ShouldBe(revision + 1);
    }

    private static object Workflow(string name) => new
    {
        name,
        stages = new object[]
        {
            new { name = "Money", tasks = new object[] { new { key = "insurance", kind = "AddInsurance", title = "Add your insurance" } } }
        },
    };

    /// <summary>
    /// Sends <see cref="Editors"/> requests at once (waiting for the messages they cause); returns the index of the one
    /// accepted after checking that every other got 409 problem details.
    /// </summary>
    private async Task<int> RaceAsync(string record, Func<int, Action<Scenario>> request)
    {
        var results = new (int Status, string? ContentType)[Editors];
        using var start = new SemaphoreSlim(0, Editors);
        await Host.TrackActivity().Timeout(TimeSpan.FromSeconds(60)).DoNotAssertOnExceptionsDetected().ExecuteAndWaitAsync(
            (Func<Wolverine.IMessageContext, Task>)(async _ =>
            {
                var tasks = Enumerable.Range(0, Editors).Select(i => Task.Run(async () =>
                {
                    await start.WaitAsync();
                    var result = await Host.Scenario(s =>
                    {
                        request(i)(s);
                        s.WithRequestHeader("Accept", "application/json");
                        s.IgnoreStatusCode();
                    });
                    results[i] = (result.Context.Response.StatusCode, result.Context.Response.ContentType);
                })).ToList();
                start.Release(Editors);
                await Task.WhenAll(tasks);
            }));

        var summary = string.Join(", ", results.Select(r => r.Status));
        Console.WriteLine($"concurrency: {Editors} parallel saves of one {record} -> {summary}");
        results.Count(r => r.Status is >= 200 and < 300).ShouldBe(1, $"{record}: {summary}");
        results.Count(r => r.Status == 409).ShouldBe(Editors - 1, $"{record}: {summary}");
        results.Where(r => r.Status == 409).ShouldAllBe(r => r.ContentType != null && r.ContentType.StartsWith("application/problem+json"));
        return Array.FindIndex(results, r => r.Status is >= 200 and < 300);
    }

    private static object Schema(string fieldKey) => new
    {
        sections = new object[]
        {
            new { key = "about", title = "About you",
                fields = new object[] { new { key = fieldKey, label = "Your answer", type = "ShortText", required = false, maxLength = 100 } } },
        },
    };

    private async Task<string> TokenAsync(ClientActor client)
    {
        var next = Clock.GetUtcNow().AddYears(1);
        var result = await Host.Scenario(s =>
        {
            s.As(client);
            s.Post.Json(new { number = "4242424242424242", expMonth = next.Month, expYear = next.Year, cvc = "123" })
                .ToUrl("/sandbox-gateway/tokens");
            s.StatusCodeShouldBeOk();
        });
        return (await result.ReadAsJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    private async Task<JsonElement> GetJsonAsync(ISignedIn actor, string url)
    {
        var result = await Host.Scenario(s =>
        {
            s.As(actor);
            s.Get.Url(url);
            s.StatusCodeShouldBeOk();
        });
        return await result.ReadAsJsonAsync<JsonElement>();
    }

    private async Task<JsonElement> SendJsonAsync(ISignedIn actor, HttpMethod method, string url, object body, int status)
    {
        var result = await Host.Scenario(s =>
        {
            s.As(actor);
            if (method == HttpMethod.Put) s.Put.Json(body).ToUrl(url);
            else s.Post.Json(body).ToUrl(url);
            s.StatusCodeShouldBe(status);
        });
        return await result.ReadAsJsonAsync<JsonElement>();
    }
}
